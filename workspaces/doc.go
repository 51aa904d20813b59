// Package workspaces is the domain of partner workspaces (Arbeitsräume): the unit of
// collaboration with external partners. A workspace has members (staff and invited
// guests, with the roles owner, member and reader), owns a document folder whose
// permissions follow its membership, and carries the task area (package tasks) and the
// wiki space (package wiki) of the same people.
//
// The package is filled by the workspaces issue; it stands here so that the top level
// shows the modules of the design card. Like every domain package it takes a
// tenant.Actor in each method that acts for a person, works in tenant-bound transactions
// (internal/db) and imports neither fiber, huma nor net/http.
package workspaces
