//! Runs a store test on both backends: SQLite in a temp data dir, and
//! PostgreSQL in a fresh schema of the server `SHIFTDECK_PG_URL` names
//! (`.ci/pg start` prints one; `.ci/run` sets it). Without that variable
//! the PostgreSQL variant says it is skipped and passes.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use shiftdeck::config::{PgUrl, StoreConfig};
use shiftdeck::store::pg::PgSettings;
use shiftdeck::store::{Store, StoreLocation};

/// The variable that names the test server.
pub const PG_URL_ENV: &str = "SHIFTDECK_PG_URL";

/// One place to keep entries, and the data dirs of the consoles using it.
pub struct Env {
    pub loc: StoreLocation,
    /// Holds the SQLite file (and a PostgreSQL console's data dir).
    _dir: tempfile::TempDir,
}

impl Env {
    pub fn sqlite() -> Env {
        let dir = tempfile::tempdir().expect("temp dir");
        let loc = StoreLocation::resolve(&StoreConfig::default(), dir.path()).expect("location");
        Env { loc, _dir: dir }
    }

    /// A fresh schema on the test server; `None` without `SHIFTDECK_PG_URL`.
    pub fn postgres() -> Option<Env> {
        let url = std::env::var(PG_URL_ENV).ok().filter(|u| !u.is_empty())?;
        let dir = tempfile::tempdir().expect("temp dir");
        let cfg = StoreConfig {
            url: Some(PgUrl::parse(&url).expect("SHIFTDECK_PG_URL is a postgres:// URL")),
            schema: Some(fresh_schema()),
            ..StoreConfig::default()
        };
        let loc = StoreLocation::resolve(&cfg, dir.path()).expect("location");
        Some(Env { loc, _dir: dir })
    }

    /// The server's settings (PostgreSQL only).
    pub fn pg(&self) -> Option<Arc<PgSettings>> {
        match &self.loc {
            StoreLocation::Postgres(s) => Some(s.clone()),
            StoreLocation::Sqlite(_) => None,
        }
    }

    /// A console's store, its entries by `author`.
    pub fn open(&self, author: &str) -> Store {
        let mut s = Store::open_at(&self.loc).expect("open the store");
        s.set_author(author);
        s
    }

    /// Runs raw SQL on the store behind the interface's back (to make a
    /// write fail): `sqlite` on the file, `pg` in the schema.
    pub fn raw_sql(&self, sqlite: &str, pg: &str) {
        match &self.loc {
            StoreLocation::Sqlite(path) => rusqlite::Connection::open(path)
                .and_then(|c| c.execute_batch(sqlite))
                .expect("sqlite"),
            StoreLocation::Postgres(s) => {
                let mut c = pg_client(s);
                c.batch_execute(pg).expect("postgres");
            }
        }
    }

    pub fn is_pg(&self) -> bool {
        self.pg().is_some()
    }
}

/// A plain client on the test server, in the settings' schema.
pub fn pg_client(s: &PgSettings) -> postgres::Client {
    let url = std::env::var(PG_URL_ENV).expect("SHIFTDECK_PG_URL");
    let mut c = postgres::Client::connect(&url, postgres::NoTls).expect("connect");
    if let Some(schema) = &s.schema {
        c.batch_execute(&format!("SET search_path TO \"{schema}\""))
            .expect("search_path");
    }
    c
}

/// A schema name no other test uses: process, counter, clock.
pub fn fresh_schema() -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    let n = N.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    format!("t_{}_{n}_{nanos}", std::process::id())
}

/// Says, once per run and past the test harness's capture (straight to
/// stderr), that the PostgreSQL variants are skipped.
pub fn skipped(test: &str) {
    use std::io::Write;
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let _ = writeln!(
            std::io::stderr(),
            "\nPostgreSQL store tests SKIPPED ({test} and the others): \
             set {PG_URL_ENV} to run them (`eval \"$(.ci/pg start)\"`)"
        );
    });
}

/// `on_both!(name, |env: &Env| { … })`: a module `name` with the test
/// `sqlite` and the test `postgres`.
macro_rules! on_both {
    ($name:ident, $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            use $crate::store_support::Env;

            #[test]
            fn sqlite() {
                let f: fn(&Env) = $body;
                f(&Env::sqlite());
            }

            #[test]
            fn postgres() {
                let f: fn(&Env) = $body;
                match Env::postgres() {
                    Some(env) => f(&env),
                    None => $crate::store_support::skipped(concat!(
                        module_path!(),
                        "::",
                        stringify!($name)
                    )),
                }
            }
        }
    };
}
pub(crate) use on_both;

/// A TCP relay in front of the test server that a test can cut (every
/// connection closed, new ones dropped at once: the server is "down" for
/// the consoles behind it, and only for them) and restore.
pub struct Relay {
    pub port: u16,
    up: Arc<std::sync::atomic::AtomicBool>,
    live: Arc<std::sync::Mutex<Vec<std::net::TcpStream>>>,
}

impl Relay {
    pub fn start(upstream: std::net::SocketAddr) -> Relay {
        use std::sync::atomic::AtomicBool;
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let up = Arc::new(AtomicBool::new(true));
        let live: Arc<std::sync::Mutex<Vec<std::net::TcpStream>>> = Arc::default();
        let (up2, live2) = (up.clone(), live.clone());
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                if !up2.load(Ordering::SeqCst) {
                    drop(client);
                    continue;
                }
                let Ok(server) = std::net::TcpStream::connect(upstream) else {
                    continue;
                };
                let pairs = [
                    (client.try_clone(), server.try_clone()),
                    (server.try_clone(), client.try_clone()),
                ];
                if let Ok(mut l) = live2.lock() {
                    l.extend(client.try_clone());
                    l.extend(server.try_clone());
                }
                for (from, to) in pairs {
                    if let (Ok(mut from), Ok(mut to)) = (from, to) {
                        std::thread::spawn(move || {
                            let _ = std::io::copy(&mut from, &mut to);
                            let _ = to.shutdown(std::net::Shutdown::Both);
                        });
                    }
                }
            }
        });
        Relay { port, up, live }
    }

    /// The server goes away for everyone behind the relay.
    pub fn cut(&self) {
        self.up.store(false, Ordering::SeqCst);
        if let Ok(mut l) = self.live.lock() {
            for s in l.drain(..) {
                let _ = s.shutdown(std::net::Shutdown::Both);
            }
        }
    }

    /// The server is back.
    pub fn restore(&self) {
        self.up.store(true, Ordering::SeqCst);
    }

    /// The settings of `env`'s schema, reached through this relay.
    pub fn location(&self, env: &Env) -> StoreLocation {
        let mut s = (*env.pg().expect("PostgreSQL")).clone();
        s.url.port = self.port;
        StoreLocation::Postgres(Arc::new(s))
    }

    /// A relay in front of `env`'s server.
    pub fn to(env: &Env) -> Relay {
        use std::net::ToSocketAddrs;
        let s = env.pg().expect("PostgreSQL");
        let addr = (s.url.host.as_str(), s.url.port)
            .to_socket_addrs()
            .expect("server address")
            .next()
            .expect("an address");
        Relay::start(addr)
    }
}
