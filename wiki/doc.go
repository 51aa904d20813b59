// Package wiki is the domain of wikis: central spaces of a tenant and one space per
// workspace, pages in Markdown with immutable revisions, links and backlinks,
// attachments stored as documents, templates and export.
//
// The package is filled by the wiki issue; it stands here so that the top level shows
// the modules of the design card, under the same rules as every domain package.
package wiki
