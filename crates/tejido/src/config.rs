//! Configuration: defaults, then an optional TOML file, then `TEJIDO_*` environment variables,
//! then command-line flags — each later source overrides the earlier ones. Every value remembers
//! where it came from, so a bad one stops start-up with one line naming the exact setting.
//! Secrets are wrapped so they never print.

use std::collections::BTreeMap;
use std::fmt;
use std::net::SocketAddr;
use std::path::Path;

/// A value that must never be printed or logged.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret(pub String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_empty() {
            "(unset)"
        } else {
            "(hidden)"
        })
    }
}

/// Where a setting's value came from, to name it in errors.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    Default,
    File(String),
    Env(&'static str),
    Flag(&'static str),
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Default => f.write_str("default"),
            Source::File(p) => write!(f, "config file {p}"),
            Source::Env(v) => write!(f, "environment variable {v}"),
            Source::Flag(v) => write!(f, "flag {v}"),
        }
    }
}

#[derive(Clone, Debug)]
pub struct Setting<T> {
    pub value: T,
    pub source: Source,
}

/// The settings Tejido reads, by their TOML key, environment variable and flag.
pub const KEYS: [(&str, &str, &str); 16] = [
    ("database_url", "TEJIDO_DATABASE_URL", "--database-url"),
    ("bind", "TEJIDO_BIND", "--bind"),
    ("base_url", "TEJIDO_BASE_URL", "--base-url"),
    ("secret_key", "TEJIDO_SECRET_KEY", ""),
    ("smtp_host", "TEJIDO_SMTP_HOST", ""),
    ("smtp_port", "TEJIDO_SMTP_PORT", ""),
    ("smtp_username", "TEJIDO_SMTP_USERNAME", ""),
    ("smtp_password", "TEJIDO_SMTP_PASSWORD", ""),
    ("smtp_from", "TEJIDO_SMTP_FROM", ""),
    ("log", "TEJIDO_LOG", ""),
    ("data_dir", "TEJIDO_DATA_DIR", "--data-dir"),
    ("upload_max_bytes", "TEJIDO_UPLOAD_MAX_BYTES", ""),
    ("trusted_proxies", "TEJIDO_TRUSTED_PROXIES", ""),
    ("upload_quota_bytes", "TEJIDO_UPLOAD_QUOTA_BYTES", ""),
    ("upload_concurrency", "TEJIDO_UPLOAD_CONCURRENCY", ""),
    ("max_in_flight", "TEJIDO_MAX_IN_FLIGHT", ""),
];

/// Default largest uploaded file: 20 MB.
pub const DEFAULT_UPLOAD_MAX_BYTES: usize = 20 * 1024 * 1024;
/// Default upload quota of a community (and of the library outside communities): 2 GB.
pub const DEFAULT_UPLOAD_QUOTA_BYTES: usize = 2 * 1024 * 1024 * 1024;
/// Default number of requests receiving files at once.
pub const DEFAULT_UPLOAD_CONCURRENCY: usize = 4;

/// Default number of requests handled at once before the next is refused with 503.
pub const DEFAULT_MAX_IN_FLIGHT: usize = 32;

#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: Setting<String>,
    pub bind: Setting<SocketAddr>,
    pub base_url: Setting<String>,
    pub secret_key: Option<Setting<Secret>>,
    pub smtp: Option<tejido_web::mailer::SmtpConfig>,
    pub smtp_password_set: bool,
    pub log: String,
    /// Where uploaded files are kept (the `serve --data-dir` flag overrides it).
    pub data_dir: Setting<String>,
    /// Largest accepted uploaded file, in bytes.
    pub upload_max_bytes: Setting<usize>,
    /// Proxies whose `X-Forwarded-For` names the client (addresses or CIDR blocks).
    pub trusted_proxies: Setting<Vec<tejido_web::net::IpNet>>,
    /// Bytes of uploads a community (or the library outside communities) may hold.
    pub upload_quota_bytes: Setting<usize>,
    /// Requests receiving files at the same time (the rest get 503 after a short wait).
    pub upload_concurrency: Setting<usize>,
    /// Requests handled at once; the next is refused with 503 and `Retry-After` at once.
    pub max_in_flight: Setting<usize>,
}

#[derive(Debug)]
pub struct ConfigError(pub String);

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "configuration error: {}", self.0)
    }
}

impl std::error::Error for ConfigError {}

/// Flags given on the command line (None when absent).
#[derive(Debug, Default, Clone)]
pub struct Flags {
    pub config: Option<String>,
    pub database_url: Option<String>,
    pub bind: Option<String>,
    pub base_url: Option<String>,
}

fn err<T>(msg: String) -> Result<T, ConfigError> {
    Err(ConfigError(msg))
}

/// Resolves the configuration from `flags`, the environment `env` and the optional file.
pub fn load(flags: &Flags, env: &dyn Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
    // 1. The file, if any (flag, then TEJIDO_CONFIG).
    let mut file: BTreeMap<String, String> = BTreeMap::new();
    let file_path = flags.config.clone().or_else(|| env("TEJIDO_CONFIG"));
    if let Some(p) = &file_path {
        let text = std::fs::read_to_string(Path::new(p))
            .map_err(|e| ConfigError(format!("cannot read config file {p}: {e}")))?;
        let table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
            ConfigError(format!("config file {p}: {}", e.message()))
        })?;
        for (k, v) in table {
            if !KEYS.iter().any(|(key, _, _)| *key == k) {
                return err(format!(
                    "config file {p}: unknown setting '{k}' (known: {})",
                    KEYS.map(|k| k.0).join(", ")
                ));
            }
            let s = match v {
                toml::Value::String(s) => s,
                toml::Value::Integer(i) => i.to_string(),
                other => {
                    return err(format!(
                        "config file {p}: setting '{k}' must be a string or a number, not {}",
                        other.type_str()
                    ))
                }
            };
            file.insert(k, s);
        }
    }
    // 2. Each setting: flag > env > file > default.
    let get = |key: &'static str| -> Option<Setting<String>> {
        let (_, var, flag) = KEYS
            .iter()
            .find(|(k, _, _)| *k == key)
            .copied()
            .unwrap_or((key, "", ""));
        let from_flag = match key {
            "database_url" => flags.database_url.clone(),
            "bind" => flags.bind.clone(),
            "base_url" => flags.base_url.clone(),
            _ => None,
        };
        if let Some(v) = from_flag {
            return Some(Setting {
                value: v,
                source: Source::Flag(flag),
            });
        }
        if let Some(v) = env(var).filter(|v| !v.is_empty()) {
            return Some(Setting {
                value: v,
                source: Source::Env(var),
            });
        }
        if let Some(v) = file.get(key) {
            return Some(Setting {
                value: v.clone(),
                source: Source::File(file_path.clone().unwrap_or_default()),
            });
        }
        None
    };
    let get_or = |key: &'static str, default: &str| {
        get(key).unwrap_or_else(|| Setting {
            value: default.to_owned(),
            source: Source::Default,
        })
    };

    let database_url = get_or("database_url", "sqlite://tejido.db");
    let u = &database_url.value;
    if !(u.starts_with("sqlite:") || u.starts_with("postgres://") || u.starts_with("postgresql://"))
    {
        return err(format!(
            "database_url ({}): '{}' must start with sqlite:// or postgres://",
            database_url.source,
            redact_url(u)
        ));
    }

    let bind_s = get_or("bind", "127.0.0.1:8080");
    let bind = match bind_s.value.parse::<SocketAddr>() {
        Ok(a) => Setting {
            value: a,
            source: bind_s.source,
        },
        Err(_) => {
            return err(format!(
                "bind ({}): '{}' is not an address and port like 127.0.0.1:8080",
                bind_s.source, bind_s.value
            ))
        }
    };

    let default_base = format!("http://localhost:{}", bind.value.port());
    let base_url = get_or("base_url", &default_base);
    {
        let b = &base_url.value;
        let rest = b
            .strip_prefix("https://")
            .or_else(|| b.strip_prefix("http://"));
        if rest
            .is_none_or(|r| r.is_empty() || r.starts_with('/') || r.contains(char::is_whitespace))
        {
            return err(format!(
                "base_url ({}): '{b}' must be a full URL like https://tejido.example.org",
                base_url.source
            ));
        }
    }

    let secret_key = get("secret_key").map(|s| Setting {
        value: Secret(s.value),
        source: s.source,
    });
    if let Some(s) = &secret_key {
        if s.value.0.len() < 32 {
            return err(format!("secret_key ({}): must be at least 32 characters (generate one with: openssl rand -hex 32)", s.source));
        }
    }

    let smtp = match get("smtp_host") {
        None => None,
        Some(host) => {
            let port_s = get_or("smtp_port", "587");
            let port = port_s.value.parse::<u16>().map_err(|_| {
                ConfigError(format!(
                    "smtp_port ({}): '{}' is not a port number",
                    port_s.source, port_s.value
                ))
            })?;
            let Some(from) = get("smtp_from") else {
                return err("smtp_from (TEJIDO_SMTP_FROM): required when smtp_host is set, e.g. \"Tejido <tejido@example.org>\"".into());
            };
            if !from.value.contains('@') {
                return err(format!(
                    "smtp_from ({}): '{}' is not an e-mail address",
                    from.source, from.value
                ));
            }
            Some(tejido_web::mailer::SmtpConfig {
                host: host.value,
                port,
                username: get("smtp_username").map(|s| s.value),
                password: get("smtp_password").map(|s| s.value),
                from: from.value,
            })
        }
    };
    let smtp_password_set = smtp.as_ref().is_some_and(|s| s.password.is_some());
    let log = get_or("log", "info").value;
    let data_dir = get_or("data_dir", "./tejido-data");
    if data_dir.value.trim().is_empty() {
        return err(format!(
            "data_dir ({}): must name a directory",
            data_dir.source
        ));
    }
    let max_s = get_or("upload_max_bytes", &DEFAULT_UPLOAD_MAX_BYTES.to_string());
    let upload_max_bytes = match parse_size(&max_s.value) {
        Some(n) if n >= 1024 => Setting {
            value: n,
            source: max_s.source,
        },
        _ => {
            return err(format!(
                "upload_max_bytes ({}): '{}' is not a size of at least 1024 bytes, like 20971520 or 20MB",
                max_s.source, max_s.value
            ))
        }
    };
    let proxies_s = get_or("trusted_proxies", "");
    let mut proxies = Vec::new();
    for part in proxies_s.value.split(',').filter(|p| !p.trim().is_empty()) {
        match tejido_web::net::IpNet::parse(part) {
            Some(n) => proxies.push(n),
            None => {
                return err(format!(
                    "trusted_proxies ({}): '{}' is not an address or CIDR block like 127.0.0.1 or 10.0.0.0/8",
                    proxies_s.source,
                    part.trim()
                ))
            }
        }
    }
    let trusted_proxies = Setting {
        value: proxies,
        source: proxies_s.source,
    };
    let quota_s = get_or(
        "upload_quota_bytes",
        &DEFAULT_UPLOAD_QUOTA_BYTES.to_string(),
    );
    let upload_quota_bytes = match parse_size(&quota_s.value) {
        Some(n) if n >= upload_max_bytes.value => Setting {
            value: n,
            source: quota_s.source,
        },
        _ => {
            return err(format!(
                "upload_quota_bytes ({}): '{}' is not a size of at least upload_max_bytes ({} bytes), like 2GB",
                quota_s.source, quota_s.value, upload_max_bytes.value
            ))
        }
    };
    // A count from 1 to 1024 (upload_concurrency, max_in_flight).
    let count = |name: &'static str, default: usize| {
        let raw = get_or(name, &default.to_string());
        match raw.value.trim().parse::<usize>() {
            Ok(n) if (1..=1024).contains(&n) => Ok(Setting {
                value: n,
                source: raw.source,
            }),
            _ => Err(format!(
                "{name} ({}): '{}' is not a number from 1 to 1024",
                raw.source, raw.value
            )),
        }
    };
    let upload_concurrency = match count("upload_concurrency", DEFAULT_UPLOAD_CONCURRENCY) {
        Ok(s) => s,
        Err(e) => return err(e),
    };
    let max_in_flight = match count("max_in_flight", DEFAULT_MAX_IN_FLIGHT) {
        Ok(s) => s,
        Err(e) => return err(e),
    };
    Ok(Config {
        trusted_proxies,
        database_url,
        bind,
        base_url,
        secret_key,
        smtp,
        smtp_password_set,
        log,
        data_dir,
        upload_max_bytes,
        upload_quota_bytes,
        upload_concurrency,
        max_in_flight,
    })
}

/// A size in bytes: a plain number, or with a `KB`/`MB`/`GB` suffix (powers of 1024).
pub fn parse_size(s: &str) -> Option<usize> {
    let t = s.trim().to_ascii_uppercase();
    let (num, mult) = if let Some(n) = t.strip_suffix("GB") {
        (n, 1024 * 1024 * 1024)
    } else if let Some(n) = t.strip_suffix("MB") {
        (n, 1024 * 1024)
    } else if let Some(n) = t.strip_suffix("KB") {
        (n, 1024)
    } else {
        (t.strip_suffix('B').unwrap_or(&t), 1)
    };
    num.trim().parse::<usize>().ok()?.checked_mul(mult)
}

/// A database URL with any password replaced, for messages.
pub fn redact_url(u: &str) -> String {
    match (u.find("://"), u.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &u[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{}:****{}", &u[..s + 3], user, &u[at..]),
                None => u.to_owned(),
            }
        }
        _ => u.to_owned(),
    }
}

impl Config {
    /// The effective settings with secrets hidden (for `tejido config check`).
    pub fn describe(&self) -> String {
        let mut s = String::new();
        s.push_str(&format!(
            "database_url = {}  ({})\n",
            redact_url(&self.database_url.value),
            self.database_url.source
        ));
        s.push_str(&format!(
            "bind = {}  ({})\n",
            self.bind.value, self.bind.source
        ));
        s.push_str(&format!(
            "base_url = {}  ({})\n",
            self.base_url.value, self.base_url.source
        ));
        match &self.secret_key {
            Some(k) => s.push_str(&format!("secret_key = {:?}  ({})\n", k.value, k.source)),
            None => s.push_str("secret_key = (generated once and kept in the database)\n"),
        }
        match &self.smtp {
            Some(m) => s.push_str(&format!(
                "smtp = {}:{} from {} user {} password {}\n",
                m.host,
                m.port,
                m.from,
                m.username.as_deref().unwrap_or("(none)"),
                if self.smtp_password_set {
                    "(hidden)"
                } else {
                    "(none)"
                }
            )),
            None => s.push_str("smtp = (not configured: e-mails are logged, not sent)\n"),
        }
        s.push_str(&format!(
            "data_dir = {}  ({})\n",
            self.data_dir.value, self.data_dir.source
        ));
        s.push_str(&format!(
            "upload_max_bytes = {}  ({})\n",
            self.upload_max_bytes.value, self.upload_max_bytes.source
        ));
        let proxies: Vec<String> = self
            .trusted_proxies
            .value
            .iter()
            .map(ToString::to_string)
            .collect();
        s.push_str(&format!(
            "trusted_proxies = {}  ({})\n",
            if proxies.is_empty() {
                "(none: the peer address is the client)".to_owned()
            } else {
                proxies.join(", ")
            },
            self.trusted_proxies.source
        ));
        s.push_str(&format!(
            "upload_quota_bytes = {}  ({})\n",
            self.upload_quota_bytes.value, self.upload_quota_bytes.source
        ));
        s.push_str(&format!(
            "upload_concurrency = {}  ({})\n",
            self.upload_concurrency.value, self.upload_concurrency.source
        ));
        s.push_str(&format!(
            "max_in_flight = {}  ({})\n",
            self.max_in_flight.value, self.max_in_flight.source
        ));
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect();
        move |k| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone())
    }

    #[test]
    fn defaults() {
        let c = load(&Flags::default(), &env_of(&[])).unwrap();
        assert_eq!(c.database_url.value, "sqlite://tejido.db");
        assert_eq!(c.bind.value.to_string(), "127.0.0.1:8080");
        assert_eq!(c.base_url.value, "http://localhost:8080");
        assert!(c.smtp.is_none());
    }

    #[test]
    fn precedence_flag_over_env_over_file() {
        let dir = std::env::temp_dir().join(format!("tejido-cfg-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let f = dir.join("t.toml");
        std::fs::write(&f, "bind = \"127.0.0.1:9001\"\nbase_url = \"https://file.example.org\"\ndatabase_url = \"sqlite://file.db\"\n").unwrap();
        let flags = Flags {
            config: Some(f.display().to_string()),
            bind: Some("127.0.0.1:9003".into()),
            ..Default::default()
        };
        let c = load(
            &flags,
            &env_of(&[
                ("TEJIDO_BIND", "127.0.0.1:9002"),
                ("TEJIDO_BASE_URL", "https://env.example.org"),
            ]),
        )
        .unwrap();
        assert_eq!(c.bind.value.port(), 9003);
        assert_eq!(c.bind.source, Source::Flag("--bind"));
        assert_eq!(c.base_url.value, "https://env.example.org");
        assert_eq!(c.database_url.value, "sqlite://file.db");
        assert!(matches!(c.database_url.source, Source::File(_)));
    }

    #[test]
    fn bad_values_name_the_setting() {
        let e = load(&Flags::default(), &env_of(&[("TEJIDO_BIND", "nowhere")]))
            .unwrap_err()
            .to_string();
        assert!(e.contains("TEJIDO_BIND") && e.contains("nowhere"), "{e}");
        let e = load(
            &Flags::default(),
            &env_of(&[("TEJIDO_DATABASE_URL", "mysql://x")]),
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("TEJIDO_DATABASE_URL"), "{e}");
        let e = load(
            &Flags::default(),
            &env_of(&[("TEJIDO_SECRET_KEY", "short")]),
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("TEJIDO_SECRET_KEY") && !e.contains("short"),
            "a secret must not be echoed: {e}"
        );
        let e = load(
            &Flags::default(),
            &env_of(&[("TEJIDO_SMTP_HOST", "smtp.example.org")]),
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("smtp_from"), "{e}");
        let e = load(
            &Flags {
                base_url: Some("localhost".into()),
                ..Default::default()
            },
            &env_of(&[]),
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("--base-url"), "{e}");
    }

    #[test]
    fn trusted_proxies_setting() {
        let c = load(
            &Flags::default(),
            &env_of(&[("TEJIDO_TRUSTED_PROXIES", "127.0.0.1, 10.0.0.0/8")]),
        )
        .unwrap();
        assert_eq!(c.trusted_proxies.value.len(), 2);
        assert!(c.describe().contains("10.0.0.0/8"));
        let none = load(&Flags::default(), &env_of(&[])).unwrap();
        assert!(none.trusted_proxies.value.is_empty());
        let e = load(
            &Flags::default(),
            &env_of(&[("TEJIDO_TRUSTED_PROXIES", "127.0.0.1, proxy.local")]),
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("TEJIDO_TRUSTED_PROXIES") && e.contains("proxy.local"),
            "{e}"
        );
    }

    #[test]
    fn upload_settings() {
        let c = load(&Flags::default(), &env_of(&[])).unwrap();
        assert_eq!(c.data_dir.value, "./tejido-data");
        assert_eq!(c.upload_max_bytes.value, 20 * 1024 * 1024);
        assert_eq!(c.upload_quota_bytes.value, 2 * 1024 * 1024 * 1024);
        assert_eq!(c.upload_concurrency.value, 4);
        assert_eq!(c.max_in_flight.value, 32);
        let c = load(
            &Flags::default(),
            &env_of(&[
                ("TEJIDO_UPLOAD_QUOTA_BYTES", "500MB"),
                ("TEJIDO_UPLOAD_CONCURRENCY", "2"),
                ("TEJIDO_MAX_IN_FLIGHT", "200"),
            ]),
        )
        .unwrap();
        assert_eq!(c.max_in_flight.value, 200);
        assert!(c.describe().contains("max_in_flight = 200"));
        assert_eq!(c.upload_quota_bytes.value, 500 * 1024 * 1024);
        assert_eq!(c.upload_concurrency.value, 2);
        assert!(c.describe().contains("upload_quota_bytes = 524288000"));
        for (var, bad) in [
            ("TEJIDO_UPLOAD_QUOTA_BYTES", "1MB"),
            ("TEJIDO_UPLOAD_CONCURRENCY", "0"),
            ("TEJIDO_UPLOAD_CONCURRENCY", "many"),
            ("TEJIDO_MAX_IN_FLIGHT", "0"),
            ("TEJIDO_MAX_IN_FLIGHT", "5000"),
        ] {
            let e = load(&Flags::default(), &env_of(&[(var, bad)]))
                .unwrap_err()
                .to_string();
            assert!(e.contains(var) && e.contains(bad), "{e}");
        }
        let c = load(
            &Flags::default(),
            &env_of(&[
                ("TEJIDO_DATA_DIR", "/var/lib/tejido"),
                ("TEJIDO_UPLOAD_MAX_BYTES", "5MB"),
            ]),
        )
        .unwrap();
        assert_eq!(c.data_dir.value, "/var/lib/tejido");
        assert_eq!(c.data_dir.source, Source::Env("TEJIDO_DATA_DIR"));
        assert_eq!(c.upload_max_bytes.value, 5 * 1024 * 1024);
        let e = load(
            &Flags::default(),
            &env_of(&[("TEJIDO_UPLOAD_MAX_BYTES", "lots")]),
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("TEJIDO_UPLOAD_MAX_BYTES") && e.contains("lots"),
            "{e}"
        );
        assert_eq!(parse_size("2048"), Some(2048));
        assert_eq!(parse_size("1 kb"), Some(1024));
    }

    #[test]
    fn secrets_never_print() {
        let c = load(
            &Flags::default(),
            &env_of(&[
                (
                    "TEJIDO_SECRET_KEY",
                    "0123456789abcdef0123456789abcdef-very-secret",
                ),
                ("TEJIDO_SMTP_HOST", "smtp.example.org"),
                ("TEJIDO_SMTP_FROM", "t@example.org"),
                ("TEJIDO_SMTP_PASSWORD", "hunter2-smtp"),
                ("TEJIDO_DATABASE_URL", "postgres://tejido:dbpass@db/tejido"),
            ]),
        )
        .unwrap();
        let out = format!("{}{:?}", c.describe(), c.secret_key);
        assert!(
            !out.contains("very-secret") && !out.contains("dbpass"),
            "{out}"
        );
        assert!(out.contains("postgres://tejido:****@db/tejido"));
    }
}
