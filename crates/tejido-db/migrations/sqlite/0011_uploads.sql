-- Uploaded files. The bytes live in the data directory under uploads/ab/cdef… named by their
-- SHA-256 (identical files are stored once); a row records each upload with its sniffed content
-- type and sanitized name. `attachments` links an upload to what it belongs to; every owner's
-- route authorizes before serving.

CREATE TABLE uploads (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
    size INTEGER NOT NULL CHECK (size >= 0),
    content_type TEXT NOT NULL,
    filename TEXT NOT NULL,
    created_by INTEGER REFERENCES users (id),
    created_at TEXT NOT NULL
);
CREATE INDEX uploads_sha256 ON uploads (sha256);

CREATE TABLE attachments (
    id INTEGER PRIMARY KEY,
    owner_kind TEXT NOT NULL CHECK (owner_kind IN ('resource', 'minutes', 'outcome')),
    owner_id INTEGER NOT NULL,
    upload_id INTEGER NOT NULL REFERENCES uploads (id),
    position INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (owner_kind, owner_id, upload_id)
);
CREATE INDEX attachments_owner ON attachments (owner_kind, owner_id, position);
CREATE INDEX attachments_upload ON attachments (upload_id);
