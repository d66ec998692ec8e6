//! `[store]`: where the lead's entries are kept. Without `url`, the SQLite
//! file in the data dir; with `url = "postgres://user@host:5432/db"`, a
//! PostgreSQL server the team shares. The password never goes in the URL
//! (refused, without repeating it): `password_env` names a variable,
//! `password_file` a file, that holds it.

use std::fmt;
use std::path::PathBuf;

/// `[store]`.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct StoreConfig {
    /// The PostgreSQL server; `None`: the SQLite file in the data dir.
    pub url: Option<PgUrl>,
    /// NAME of the environment variable that holds the password.
    pub password_env: Option<String>,
    /// PATH of a file that holds the password (first line).
    pub password_file: Option<PathBuf>,
    /// The PostgreSQL schema to keep the tables in (default: the server's
    /// search path, normally `public`); lets teams or tests share a database.
    pub schema: Option<String>,
}

/// `sslmode`, as libpq names it. rustls always verifies the server's
/// certificate and name when TLS is used, so `require` and `verify-ca`
/// verify as fully as `verify-full`.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum SslMode {
    /// No TLS.
    Disable,
    /// TLS when the server offers it (same as `prefer`).
    Allow,
    /// TLS when the server offers it, verified; plain when it does not.
    #[default]
    Prefer,
    /// TLS or no connection, verified.
    Require,
    VerifyCa,
    VerifyFull,
}

impl SslMode {
    pub const ALL: [SslMode; 6] = [
        SslMode::Disable,
        SslMode::Allow,
        SslMode::Prefer,
        SslMode::Require,
        SslMode::VerifyCa,
        SslMode::VerifyFull,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SslMode::Disable => "disable",
            SslMode::Allow => "allow",
            SslMode::Prefer => "prefer",
            SslMode::Require => "require",
            SslMode::VerifyCa => "verify-ca",
            SslMode::VerifyFull => "verify-full",
        }
    }

    /// Whether a connection without TLS is refused.
    pub fn requires_tls(self) -> bool {
        matches!(
            self,
            SslMode::Require | SslMode::VerifyCa | SslMode::VerifyFull
        )
    }
}

/// A PostgreSQL URL without a password.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct PgUrl {
    pub host: String,
    pub port: u16,
    /// `None`: the login name, as libpq does.
    pub user: Option<String>,
    /// `None`: the user's name, as libpq does.
    pub dbname: Option<String>,
    pub sslmode: SslMode,
}

/// Why a `[store] url` is refused. Never carries the URL's text.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum PgUrlProblem {
    NotPostgres,
    NoHost,
    Password,
    /// A query parameter other than `sslmode` (`sslmode` with a value
    /// outside [`SslMode::ALL`] too).
    Param,
}

impl PgUrl {
    /// Reads `postgres://[user@]host[:port][/db][?sslmode=MODE]` (or
    /// `postgresql://`).
    pub fn parse(text: &str) -> Result<PgUrl, PgUrlProblem> {
        let text = text.trim();
        let lower = text.to_ascii_lowercase();
        if !(lower.starts_with("postgres://") || lower.starts_with("postgresql://")) {
            return Err(PgUrlProblem::NotPostgres);
        }
        // The password check comes first and looks at the raw text, so a
        // URL the parser would refuse for another reason is still called
        // out for its password.
        let rest = &text[text.find("://").map_or(0, |i| i + 3)..];
        let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
        if let Some((userinfo, _)) = authority.rsplit_once('@')
            && userinfo.contains(':')
        {
            return Err(PgUrlProblem::Password);
        }
        let url = url::Url::parse(text).map_err(|_| PgUrlProblem::NoHost)?;
        if url.password().is_some() {
            return Err(PgUrlProblem::Password);
        }
        let host = match url.host() {
            Some(url::Host::Domain(d)) if !d.is_empty() => d.to_owned(),
            Some(url::Host::Ipv4(a)) => a.to_string(),
            Some(url::Host::Ipv6(a)) => a.to_string(),
            _ => return Err(PgUrlProblem::NoHost),
        };
        let mut sslmode = SslMode::default();
        for (name, value) in url.query_pairs() {
            let name = name.to_ascii_lowercase();
            if name.contains("password") || name == "passfile" {
                return Err(PgUrlProblem::Password);
            }
            if name != "sslmode" {
                return Err(PgUrlProblem::Param);
            }
            sslmode = SslMode::ALL
                .into_iter()
                .find(|m| m.as_str() == value)
                .ok_or(PgUrlProblem::Param)?;
        }
        let user = Some(url.username())
            .filter(|u| !u.is_empty())
            .map(str::to_owned);
        let dbname = Some(url.path().trim_start_matches('/'))
            .filter(|d| !d.is_empty())
            .map(str::to_owned);
        Ok(PgUrl {
            host,
            port: url.port().unwrap_or(5432),
            user,
            dbname,
            sslmode,
        })
    }

    /// `host:port/db`, for messages (no user, no password).
    pub fn place(&self) -> String {
        let host = if self.host.contains(':') {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        };
        format!(
            "{host}:{}/{}",
            self.port,
            self.dbname.as_deref().unwrap_or_default()
        )
    }
}

/// The URL as written back by `config show` (it never had a password).
impl fmt::Display for PgUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let host = if self.host.contains(':') {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        };
        write!(f, "postgres://")?;
        if let Some(u) = &self.user {
            write!(f, "{u}@")?;
        }
        write!(f, "{host}:{}/", self.port)?;
        if let Some(d) = &self.dbname {
            write!(f, "{d}")?;
        }
        if self.sslmode != SslMode::default() {
            write!(f, "?sslmode={}", self.sslmode.as_str())?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_url_is_read() {
        let u = PgUrl::parse("postgres://lead@db.example.com:6543/shiftdeck").unwrap();
        assert_eq!(u.host, "db.example.com");
        assert_eq!(u.port, 6543);
        assert_eq!(u.user.as_deref(), Some("lead"));
        assert_eq!(u.dbname.as_deref(), Some("shiftdeck"));
        assert_eq!(u.sslmode, SslMode::Prefer);
        assert_eq!(u.place(), "db.example.com:6543/shiftdeck");
        let u = PgUrl::parse("postgresql://127.0.0.1?sslmode=verify-full").unwrap();
        assert_eq!((u.port, u.user, u.dbname), (5432, None, None));
        assert_eq!(u.sslmode, SslMode::VerifyFull);
        assert!(u.sslmode.requires_tls());
        let u = PgUrl::parse("postgres://lead@[::1]:5432/db?sslmode=disable").unwrap();
        assert_eq!(u.place(), "[::1]:5432/db");
        assert_eq!(
            u.to_string(),
            "postgres://lead@[::1]:5432/db?sslmode=disable"
        );
    }

    #[test]
    fn a_password_is_refused_wherever_it_is() {
        for bad in [
            "postgres://lead:s3cret@db/shiftdeck",
            "postgres://lead:@db/shiftdeck",
            "postgres://lead:s3cret@/shiftdeck",
            "postgres://lead@db/shiftdeck?password=s3cret",
            "postgres://lead@db/shiftdeck?sslmode=require&PASSWORD=x",
        ] {
            assert_eq!(PgUrl::parse(bad), Err(PgUrlProblem::Password), "{bad}");
        }
    }

    #[test]
    fn other_bad_urls_say_why() {
        assert_eq!(
            PgUrl::parse("mysql://lead@db/x"),
            Err(PgUrlProblem::NotPostgres)
        );
        assert_eq!(PgUrl::parse("https://db/x"), Err(PgUrlProblem::NotPostgres));
        assert_eq!(PgUrl::parse("postgres:///x"), Err(PgUrlProblem::NoHost));
        assert_eq!(
            PgUrl::parse("postgres://db/x?sslmode=maybe"),
            Err(PgUrlProblem::Param)
        );
        assert_eq!(
            PgUrl::parse("postgres://db/x?application_name=y"),
            Err(PgUrlProblem::Param)
        );
    }
}
