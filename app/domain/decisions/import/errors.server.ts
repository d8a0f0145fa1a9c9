/** A file that cannot be imported at all: thrown while reading it, turned into the file's error value. */
export class FileError extends Error {}
