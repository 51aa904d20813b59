// Package tasks is the domain of tasks and projects with deadline monitoring
// (Aufgabenmanagement mit Terminmonitoring): tasks with assignees, checklists and
// due dates in calendar or working days, reminders and escalation, boards and
// timelines. Every task lives in a workspace (package workspaces) and is seen by its
// members only.
//
// The package is filled by the tasks issue; it stands here so that the top level shows
// the modules of the design card, under the same rules as every domain package.
package tasks
