"""The client-side model every view reads: buffers, alarm book, link, selection. Imports no Qt."""
