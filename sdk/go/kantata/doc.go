// Manage Kantata OX workspace groups and who belongs to which: groups, their members as a set, single memberships, access rules, an access file, and look-ups of people and groups.
package kantata
