/** A problem the user can fix (bad option, unreadable file): reported as one line, exit status 2. */
export class UserError extends Error {}
