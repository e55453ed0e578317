-- Discussions: threads per community and their replies. Edits keep the previous text in
-- discussion_edits; moderation hides (never deletes) with a reason. Subscriptions get an e-mail
-- per reply; the weekly digest remembers when each person last got one, and whether they opted out.

CREATE TABLE discussion_threads (
    id INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities (id),
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    author_user_id INTEGER NOT NULL REFERENCES users (id),
    reply_count INTEGER NOT NULL DEFAULT 0,
    last_activity_at TEXT NOT NULL,
    hidden_at TEXT,
    hidden_reason TEXT,
    hidden_by INTEGER REFERENCES users (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX discussion_threads_community ON discussion_threads (community_id, last_activity_at);
CREATE INDEX discussion_threads_activity ON discussion_threads (last_activity_at);

CREATE TABLE discussion_replies (
    id INTEGER PRIMARY KEY,
    thread_id INTEGER NOT NULL REFERENCES discussion_threads (id),
    body TEXT NOT NULL,
    author_user_id INTEGER NOT NULL REFERENCES users (id),
    hidden_at TEXT,
    hidden_reason TEXT,
    hidden_by INTEGER REFERENCES users (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX discussion_replies_thread ON discussion_replies (thread_id, created_at);
CREATE INDEX discussion_replies_created ON discussion_replies (created_at);

CREATE TABLE discussion_edits (
    id INTEGER PRIMARY KEY,
    thread_id INTEGER NOT NULL REFERENCES discussion_threads (id),
    reply_id INTEGER REFERENCES discussion_replies (id),
    previous_title TEXT,
    previous_body TEXT NOT NULL,
    edited_by INTEGER REFERENCES users (id),
    edited_at TEXT NOT NULL
);
CREATE INDEX discussion_edits_thread ON discussion_edits (thread_id, edited_at);

CREATE TABLE discussion_subscriptions (
    thread_id INTEGER NOT NULL REFERENCES discussion_threads (id),
    user_id INTEGER NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    PRIMARY KEY (thread_id, user_id)
);
CREATE INDEX discussion_subscriptions_user ON discussion_subscriptions (user_id);

CREATE TABLE discussion_digest_prefs (
    user_id INTEGER PRIMARY KEY REFERENCES users (id),
    opted_out BOOLEAN NOT NULL DEFAULT FALSE,
    last_digest_at TEXT
);
