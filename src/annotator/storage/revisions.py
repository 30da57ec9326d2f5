"""The schema revisions this version knows (no SQLAlchemy, no Alembic: the first frame of the
window checks a file's revision with the standard library's sqlite3 alone)."""

KNOWN_REVISIONS: tuple[str, ...] = ("0001", "0002", "0003", "0004", "0005")
"""Every schema revision of db/versions, oldest first; the last is the head (a test keeps it
equal to the scripts)."""

HEAD_REVISION = KNOWN_REVISIONS[-1]
