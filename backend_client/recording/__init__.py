"""Recording: everything a live source receives, kept in a SQLAlchemy database for replay.

store (open + migrate), stager + chunk_codec (compressed per-channel chunks), writer (the writer
thread), reader (queries), tap (the live source's hooks), cli (lifeline-recorder). No Qt.
"""
