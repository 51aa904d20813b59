// Package workspaces is the domain of workspaces (Arbeitsräume): the unit of
// collaboration, with external partners too. A workspace has a name (unique
// per tenant regardless of case and Unicode form), a purpose, an optional
// file number (Aktenzeichen), optional start and end dates, a responsible
// person, a visibility (open: listed in the directory staff may join from;
// closed) and a state (active; archived: read-only).
//
// Its members are tenant memberships with the workspace roles owner, member
// and reader (workspace_members); the tenant role of the membership decides
// whether a member is staff or, in a later step, a guest invited into the
// workspace. The creator becomes owner; owners and tenant admins add and
// remove members and change roles; the last owner cannot leave or lose the
// role; staff join open workspaces and leave any.
//
// Each workspace owns a document folder, made with it under the tenant's
// root folder "Arbeitsräume". Its permissions follow the membership and are
// derived by the document store whenever a query runs (documents/access.go):
// owners and members write, readers read, subfolders inherit, and while the
// workspace is archived everyone reads only. The task area (package tasks)
// and the wiki space (package wiki) of the next modules attach to the
// workspace in the same way (see Service).
//
// Like every domain package it takes a tenant.Actor in each method that acts
// for a person, works in tenant-bound transactions (internal/db) and imports
// neither fiber, huma nor net/http.
package workspaces
