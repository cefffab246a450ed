// Package core is Frontdesk's domain: people, cards, doors, schedules, access
// levels and grants, and the engine that makes every access decision and
// records it.
//
// core imports no adapter: it declares the store and the clock it needs
// (Store, Tx, Clock) and the adapters in storage, reader, ui and cmd
// implement or call them. Every stored instant is UTC; every rule about days
// and windows is evaluated in the site's IANA time zone.
package core
