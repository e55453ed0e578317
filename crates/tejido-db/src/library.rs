//! The knowledge library: storage of resources, their versions and themes, and the lessons
//! learned that live in minutes (`event_lessons`) and After Action Reviews (consolidated
//! "sustain"/"improve" entries), read here by query — never copied.
//!
//! Visibility is always decided in SQL ([`Viewer`] is bound into every list, count and get),
//! never by filtering rows after fetching them. A resource is seen by: admins; anyone when
//! `public`; every signed-in person when `instance`; when `community`, its community's members and
//! role holders (guests included, funders not) — whatever the community's own visibility, the rule
//! of `tejido_core::visibility::Record::CommunityResource`. Lessons from minutes and
//! reviews are seen by the community's members and admins, like the minutes and reviews
//! themselves.
//!
//! Other capabilities may reference `resources(id)` and read its `title`, `kind`,
//! `community_id` and `visibility` columns.

use tejido_core::library::ResourceInput;
use tejido_core::page::{Page, PageReq};

use crate::{now, on, on_tx, DateTime, Db, Result, Tx, Utc};

/// Who is looking (bound into the visibility clause).
#[derive(Debug, Clone, Copy, Default)]
pub struct Viewer {
    pub signed_in: bool,
    pub is_admin: bool,
    pub person_id: Option<i64>,
}

/// One resource with the names it shows.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Resource {
    pub id: i64,
    pub kind: String,
    pub title: String,
    /// Markdown.
    pub body: String,
    pub url: Option<String>,
    pub language: String,
    /// "a, b, c".
    pub themes: String,
    pub visibility: String,
    pub community_id: Option<i64>,
    pub community_slug: Option<String>,
    pub community_name: Option<String>,
    pub organization_id: Option<i64>,
    pub organization_name: Option<String>,
    pub source_kind: Option<String>,
    pub source_id: Option<i64>,
    pub source_title: Option<String>,
    pub version: i64,
    #[serde(skip)]
    pub created_by: Option<i64>,
    pub author_name: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Resource {
    pub fn theme_list(&self) -> Vec<&str> {
        self.themes
            .split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .collect()
    }
    /// Where the source lives, if the resource has one.
    pub fn source_url(&self) -> Option<String> {
        let slug = self.community_slug.as_deref()?;
        let id = self.source_id?;
        match self.source_kind.as_deref()? {
            "event" => Some(format!("/c/{slug}/events/{id}")),
            "minutes" => Some(format!("/c/{slug}/events/{id}/minutes")),
            "review" => Some(format!("/c/{slug}/reviews/{id}")),
            _ => None,
        }
    }
}

const COLS: &str = "r.id, r.kind, r.title, r.body, r.url, r.language, r.themes, r.visibility,
    r.community_id, c.slug AS community_slug, c.name AS community_name,
    r.organization_id, o.name AS organization_name, r.source_kind, r.source_id,
    COALESCE(se.title, sr.title) AS source_title, r.version, r.created_by,
    u.display_name AS author_name, r.created_at, r.updated_at";

const FROM: &str = "resources r LEFT JOIN communities c ON c.id = r.community_id
    LEFT JOIN organizations o ON o.id = r.organization_id
    LEFT JOIN users u ON u.id = r.created_by
    LEFT JOIN events se ON r.source_kind IN ('event', 'minutes') AND se.id = r.source_id
    LEFT JOIN learning_reviews sr ON r.source_kind = 'review' AND sr.id = r.source_id";

/// The visibility clause; `$1` is admin (0/1), `$2` signed in (0/1), `$3` the person id.
/// A community resource is for that community's members and role holders only, whatever the
/// community's own visibility: a public community does not publish its contact lists.
pub(crate) const VISIBLE: &str = "r.archived_at IS NULL AND ($1 = 1 OR r.visibility = 'public'
    OR (r.visibility = 'instance' AND $2 = 1)
    OR (r.visibility = 'community' AND (EXISTS (SELECT 1 FROM community_people cp WHERE cp.community_id = r.community_id
                   AND cp.person_id = $3 AND cp.left_at IS NULL)
        OR EXISTS (SELECT 1 FROM community_roles cr WHERE cr.community_id = r.community_id
                   AND cr.person_id = $3 AND cr.ends_at IS NULL AND cr.role <> 'funder'))))";

/// List filters (all optional).
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub kind: Option<String>,
    /// Matched case-insensitively against one theme.
    pub theme: Option<String>,
    pub language: Option<String>,
    pub community_id: Option<i64>,
}

fn fold_theme(t: &str) -> String {
    t.trim().to_lowercase()
}

async fn write_themes(tx: &mut Tx, id: i64, themes: &[String]) -> Result<()> {
    let mut folded: Vec<String> = themes.iter().map(|t| fold_theme(t)).collect();
    folded.sort();
    folded.dedup();
    on_tx!(tx, |c| {
        sqlx::query("DELETE FROM resource_themes WHERE resource_id = $1")
            .bind(id)
            .execute(&mut *c)
            .await?;
        for t in &folded {
            sqlx::query("INSERT INTO resource_themes (resource_id, theme) VALUES ($1, $2)")
                .bind(id)
                .bind(t)
                .execute(&mut *c)
                .await?;
        }
        Ok::<_, sqlx::Error>(())
    })?;
    Ok(())
}

async fn write_version(
    tx: &mut Tx,
    id: i64,
    version: i64,
    i: &ResourceInput,
    by: Option<i64>,
) -> Result<()> {
    let t = now();
    on_tx!(tx, |c| {
        sqlx::query(
        "INSERT INTO resource_versions (resource_id, version, kind, title, body, url, language, themes, visibility, community_id, edited_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
    )
    .bind(id)
    .bind(version)
    .bind(i.kind.as_str())
    .bind(&i.title)
    .bind(&i.body)
    .bind(&i.url)
    .bind(&i.language)
    .bind(i.themes_text())
    .bind(i.visibility.as_str())
    .bind(i.community_id)
    .bind(by)
    .bind(t)
    .execute(c)
    .await
    .map(|_| ())
    })?;
    Ok(())
}

/// Creates a resource (version 1); returns its id.
pub async fn insert(tx: &mut Tx, i: &ResourceInput, by: Option<i64>) -> Result<i64> {
    let t = now();
    let (sk, sid) = match i.source {
        Some((k, id)) => (Some(k.as_str()), Some(id)),
        None => (None, None),
    };
    let id: i64 = on_tx!(tx, |c| {
        sqlx::query_scalar(
        "INSERT INTO resources (kind, title, body, url, language, themes, visibility, community_id, organization_id,
             source_kind, source_id, version, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 1, $12, $13, $13) RETURNING id"
    )
    .bind(i.kind.as_str())
    .bind(&i.title)
    .bind(&i.body)
    .bind(&i.url)
    .bind(&i.language)
    .bind(i.themes_text())
    .bind(i.visibility.as_str())
    .bind(i.community_id)
    .bind(i.organization_id)
    .bind(sk)
    .bind(sid)
    .bind(by)
    .bind(t)
    .fetch_one(c)
    .await
    })?;
    write_themes(tx, id, &i.themes).await?;
    write_version(tx, id, 1, i, by).await?;
    Ok(id)
}

/// Saves an edit as a new version (the previous ones stay); returns the new version number.
pub async fn update(tx: &mut Tx, id: i64, i: &ResourceInput, by: Option<i64>) -> Result<i64> {
    let t = now();
    let (sk, sid) = match i.source {
        Some((k, id)) => (Some(k.as_str()), Some(id)),
        None => (None, None),
    };
    let version: i64 = on_tx!(tx, |c| {
        sqlx::query_scalar(
        "UPDATE resources SET kind = $1, title = $2, body = $3, url = $4, language = $5, themes = $6,
             visibility = $7, community_id = $8, organization_id = $9, source_kind = $10, source_id = $11,
             version = version + 1, updated_at = $12
         WHERE id = $13 RETURNING version"
    )
    .bind(i.kind.as_str())
    .bind(&i.title)
    .bind(&i.body)
    .bind(&i.url)
    .bind(&i.language)
    .bind(i.themes_text())
    .bind(i.visibility.as_str())
    .bind(i.community_id)
    .bind(i.organization_id)
    .bind(sk)
    .bind(sid)
    .bind(t)
    .bind(id)
    .fetch_one(c)
    .await
    })?;
    write_themes(tx, id, &i.themes).await?;
    write_version(tx, id, version, i, by).await?;
    Ok(version)
}

/// Archives a resource: it leaves every list and page; its rows stay.
pub async fn archive(tx: &mut Tx, id: i64) -> Result<()> {
    let t = now();
    on_tx!(tx, |c| sqlx::query(
        "UPDATE resources SET archived_at = $1 WHERE id = $2 AND archived_at IS NULL"
    )
    .bind(t)
    .bind(id)
    .execute(c)
    .await
    .map(|_| ()))?;
    Ok(())
}

/// One resource if `viewer` may see it (not archived).
pub async fn get_visible(db: &Db, v: Viewer, id: i64) -> Result<Option<Resource>> {
    let sql = format!("SELECT {COLS} FROM {FROM} WHERE {VISIBLE} AND r.id = $4");
    Ok(on!(db, |p| sqlx::query_as(&sql)
        .bind(i64::from(v.is_admin))
        .bind(i64::from(v.signed_in))
        .bind(v.person_id)
        .bind(id)
        .fetch_optional(p)
        .await)?)
}

/// True when a resource exists (archived or not), to tell "not found" from "not allowed".
pub async fn exists(db: &Db, id: i64) -> Result<bool> {
    let n: i64 = on!(db, |p| sqlx::query_scalar(
        "SELECT COUNT(*) FROM resources WHERE id = $1 AND archived_at IS NULL"
    )
    .bind(id)
    .fetch_one(p)
    .await)?;
    Ok(n > 0)
}

/// The visible resources matching `f`, newest first.
pub async fn list(db: &Db, v: Viewer, f: &Filter, req: PageReq) -> Result<Page<Resource>> {
    let theme = f.theme.as_deref().map(fold_theme).filter(|t| !t.is_empty());
    let cond = format!(
        "{VISIBLE} AND ($4 IS NULL OR r.kind = $4)
         AND ($5 IS NULL OR EXISTS (SELECT 1 FROM resource_themes t WHERE t.resource_id = r.id AND t.theme = $5))
         AND ($6 IS NULL OR r.language = $6) AND ($7 IS NULL OR r.community_id = $7)"
    );
    let count_sql = format!("SELECT COUNT(*) FROM {FROM} WHERE {cond}");
    let sql = format!(
        "SELECT {COLS} FROM {FROM} WHERE {cond} ORDER BY r.updated_at DESC, r.id DESC LIMIT $8 OFFSET $9"
    );
    let (total, items) = on!(db, |p| {
        let total: i64 = sqlx::query_scalar(&count_sql)
            .bind(i64::from(v.is_admin))
            .bind(i64::from(v.signed_in))
            .bind(v.person_id)
            .bind(&f.kind)
            .bind(&theme)
            .bind(&f.language)
            .bind(f.community_id)
            .fetch_one(p)
            .await?;
        let items: Vec<Resource> = sqlx::query_as(&sql)
            .bind(i64::from(v.is_admin))
            .bind(i64::from(v.signed_in))
            .bind(v.person_id)
            .bind(&f.kind)
            .bind(&theme)
            .bind(&f.language)
            .bind(f.community_id)
            .bind(req.limit())
            .bind(req.offset())
            .fetch_all(p)
            .await?;
        Ok::<_, sqlx::Error>((total, items))
    })?;
    Ok(Page {
        items,
        page: req.page,
        per_page: req.per_page,
        total,
    })
}

/// One saved version of a resource.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Version {
    pub version: i64,
    pub kind: String,
    pub title: String,
    pub body: String,
    pub url: Option<String>,
    pub language: String,
    pub themes: String,
    pub visibility: String,
    pub editor_name: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// The history of a resource, newest first (the caller checked the resource is visible).
pub async fn versions(db: &Db, id: i64, req: PageReq) -> Result<Page<Version>> {
    let (total, items) = on!(db, |p| {
        let total: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM resource_versions WHERE resource_id = $1")
                .bind(id)
                .fetch_one(p)
                .await?;
        let items: Vec<Version> = sqlx::query_as(
            "SELECT v.version, v.kind, v.title, v.body, v.url, v.language, v.themes, v.visibility,
                    u.display_name AS editor_name, v.created_at
             FROM resource_versions v LEFT JOIN users u ON u.id = v.edited_by
             WHERE v.resource_id = $1 ORDER BY v.version DESC LIMIT $2 OFFSET $3",
        )
        .bind(id)
        .bind(req.limit())
        .bind(req.offset())
        .fetch_all(p)
        .await?;
        Ok::<_, sqlx::Error>((total, items))
    })?;
    Ok(Page {
        items,
        page: req.page,
        per_page: req.per_page,
        total,
    })
}

// ---- lessons learned recorded elsewhere ------------------------------------------------------

/// A lesson learned written in an event's minutes or an After Action Review.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct DerivedLesson {
    /// `minutes` or `review`.
    pub source_kind: String,
    pub id: i64,
    pub text: String,
    /// For reviews: `sustain` or `improve`; empty for minutes.
    pub section: String,
    /// The event id (minutes) or review id.
    pub source_id: i64,
    pub source_title: String,
    pub community_slug: String,
    pub community_name: String,
    pub created_at: DateTime<Utc>,
}

impl DerivedLesson {
    pub fn source_url(&self) -> String {
        match self.source_kind.as_str() {
            "review" => format!("/c/{}/reviews/{}", self.community_slug, self.source_id),
            _ => format!(
                "/c/{}/events/{}/minutes",
                self.community_slug, self.source_id
            ),
        }
    }
}

/// `$1` admin, `$2` person; `{col}` is the community id column.
fn member_of(col: &str) -> String {
    format!(
        "($1 = 1 OR EXISTS (SELECT 1 FROM community_people cp WHERE cp.community_id = {col}
            AND cp.person_id = $2 AND cp.left_at IS NULL)
         OR EXISTS (SELECT 1 FROM community_roles cr WHERE cr.community_id = {col}
            AND cr.person_id = $2 AND cr.ends_at IS NULL AND cr.role <> 'funder'))"
    )
}

/// Lessons from minutes and reviews of the communities `v` belongs to (or of one community),
/// newest first.
pub async fn derived_lessons(
    db: &Db,
    v: Viewer,
    community_id: Option<i64>,
    req: PageReq,
) -> Result<Page<DerivedLesson>> {
    let union = format!(
        "SELECT 'minutes' AS source_kind, l.id, l.text, '' AS section, e.id AS source_id,
                e.title AS source_title, c.slug AS community_slug, c.name AS community_name, l.created_at
         FROM event_lessons l JOIN events e ON e.id = l.event_id JOIN communities c ON c.id = e.community_id
         WHERE {} AND ($3 IS NULL OR e.community_id = $3)
         UNION ALL
         SELECT 'review' AS source_kind, le.id, le.body AS text, le.section, lr.id AS source_id,
                lr.title AS source_title, c.slug AS community_slug, c.name AS community_name, le.created_at
         FROM learning_review_entries le JOIN learning_reviews lr ON lr.id = le.review_id
              JOIN communities c ON c.id = lr.community_id
         WHERE lr.kind = 'aar' AND le.consolidated = TRUE AND le.section IN ('sustain', 'improve')
               AND {} AND ($3 IS NULL OR lr.community_id = $3)",
        member_of("e.community_id"),
        member_of("lr.community_id")
    );
    let count_sql = format!("SELECT COUNT(*) FROM ({union}) x");
    let sql = format!(
        "SELECT * FROM ({union}) x ORDER BY x.created_at DESC, x.id DESC LIMIT $4 OFFSET $5"
    );
    let (total, items) = on!(db, |p| {
        let total: i64 = sqlx::query_scalar(&count_sql)
            .bind(i64::from(v.is_admin))
            .bind(v.person_id)
            .bind(community_id)
            .fetch_one(p)
            .await?;
        let items: Vec<DerivedLesson> = sqlx::query_as(&sql)
            .bind(i64::from(v.is_admin))
            .bind(v.person_id)
            .bind(community_id)
            .bind(req.limit())
            .bind(req.offset())
            .fetch_all(p)
            .await?;
        Ok::<_, sqlx::Error>((total, items))
    })?;
    Ok(Page {
        items,
        page: req.page,
        per_page: req.per_page,
        total,
    })
}

/// True when the event (for `event`/`minutes` sources) or review belongs to the community.
pub async fn source_in_community(
    db: &Db,
    kind: tejido_core::library::SourceKind,
    id: i64,
    community_id: i64,
) -> Result<bool> {
    let sql = match kind {
        tejido_core::library::SourceKind::Review => {
            "SELECT COUNT(*) FROM learning_reviews WHERE id = $1 AND community_id = $2"
        }
        _ => "SELECT COUNT(*) FROM events WHERE id = $1 AND community_id = $2",
    };
    let n: i64 = on!(db, |p| sqlx::query_scalar(sql)
        .bind(id)
        .bind(community_id)
        .fetch_one(p)
        .await)?;
    Ok(n > 0)
}

/// Communities a person may file resources in (current member or role holder), or every
/// community for an admin; (id, name), by name.
pub async fn community_options(
    db: &Db,
    person_id: Option<i64>,
    is_admin: bool,
) -> Result<Vec<(i64, String)>> {
    Ok(on!(db, |p| {
        sqlx::query_as(
        "SELECT c.id, c.name FROM communities c WHERE c.archived_at IS NULL AND ($1 = 1
            OR EXISTS (SELECT 1 FROM community_people cp WHERE cp.community_id = c.id AND cp.person_id = $2 AND cp.left_at IS NULL)
            OR EXISTS (SELECT 1 FROM community_roles cr WHERE cr.community_id = c.id AND cr.person_id = $2 AND cr.ends_at IS NULL AND cr.role <> 'funder'))
         ORDER BY c.name LIMIT 500"
    )
    .bind(i64::from(is_admin))
    .bind(person_id)
    .fetch_all(p)
    .await
    })?)
}

/// Organizations of the directory for the author field; (id, name), by name.
pub async fn organization_options(db: &Db) -> Result<Vec<(i64, String)>> {
    Ok(on!(db, |p| sqlx::query_as(
        "SELECT id, name FROM organizations WHERE archived_at IS NULL ORDER BY name LIMIT 1000"
    )
    .fetch_all(p)
    .await)?)
}

/// True when the organization exists and is not archived.
pub async fn organization_exists(db: &Db, id: i64) -> Result<bool> {
    let n: i64 = on!(db, |p| sqlx::query_scalar(
        "SELECT COUNT(*) FROM organizations WHERE id = $1 AND archived_at IS NULL"
    )
    .bind(id)
    .fetch_one(p)
    .await)?;
    Ok(n > 0)
}
