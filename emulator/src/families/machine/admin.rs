//! The admin API of machine-to-machine clients (`/emulator/v1/machine/`, plain JSON, real
//! HTTP statuses), and the same on the [`Emulator`] handle:
//!
//! - `GET /emulator/v1/machine/clients`: `{"clients": [{"clientId", "clientSecret",
//!   "scopes", "tokenTtlSeconds", "tokensIssued"}]}`, oldest first.
//! - `POST /emulator/v1/machine/clients` with a [`NewMachineClient`] as camelCase JSON
//!   (`clientId`, `clientSecret`, `scopes`, `tokenTtlSeconds`, each optional): creates a
//!   client and answers it as listed (201).
//!
//! Refusals: 400 for a body that is not what is described or a client that is refused
//! (an empty or taken id, the app's own id, an empty secret or scope, a lifetime of 0 or
//! over a year), 405 for another method.

use serde_json::{json, Value};

use crate::families::directory::new_entries::SeedError;
use crate::families::machine::state::{MachineClient, NewMachineClient};
use crate::http::server::Shared;
use crate::http::{Request, Response};
use crate::Emulator;

fn error(status: u16, message: &str) -> Response {
    Response::json_status(status, &json!({ "error": message }))
}

fn to_json(c: &MachineClient) -> Value {
    json!({
        "clientId": c.client_id,
        "clientSecret": c.client_secret,
        "scopes": c.scopes,
        "tokenTtlSeconds": c.token_ttl.as_secs(),
        "tokensIssued": c.tokens_issued,
    })
}

/// The answer for a path under `/emulator/v1/machine/`, or `None` when `path` is not one.
pub(crate) fn route(shared: &Shared, request: &Request, path: &str) -> Option<Response> {
    if path != "/emulator/v1/machine/clients" {
        return path
            .starts_with("/emulator/v1/machine/")
            .then(|| error(404, "no such endpoint"));
    }
    Some(match request.method.as_str() {
        "GET" => {
            let list: Vec<Value> = shared
                .state()
                .families
                .machine
                .clients()
                .iter()
                .map(to_json)
                .collect();
            Response::json(&json!({ "clients": list }))
        }
        "POST" => match serde_json::from_slice::<NewMachineClient>(&request.body) {
            Ok(seed) => match add(shared, &seed) {
                Ok(client) => Response::json_status(201, &to_json(&client)),
                Err(message) => error(400, &message),
            },
            Err(e) => error(400, &format!("invalid body: {e}")),
        },
        _ => error(405, "method not allowed on this endpoint").header("Allow", "GET, POST"),
    })
}

fn add(shared: &Shared, seed: &NewMachineClient) -> Result<MachineClient, String> {
    shared
        .state()
        .families
        .machine
        .add(seed, &shared.config.app_id)
}

impl Emulator {
    /// Creates a machine-to-machine client of the app (Authing's programmatic access
    /// account), which the `client_credentials` grant of `POST /oidc/token` then accepts:
    /// the client as kept, its id and secret made up when `seed` leaves them out. Refused
    /// ([`SeedError::Invalid`]) for an empty or taken id, the app's own id, an empty secret
    /// or scope, a token lifetime of 0 or over a year. The admin API's `POST
    /// /emulator/v1/machine/clients` does the same. A reset forgets every client.
    ///
    /// ```
    /// use std::time::Duration;
    /// use authing_emulator::{Emulator, NewMachineClient};
    /// let emulator = Emulator::start()?;
    /// let client = emulator.add_machine_client(
    ///     NewMachineClient::new().scopes(&["read:users"]).token_ttl(Duration::from_secs(600)),
    /// )?;
    /// assert!(client.client_id.starts_with("m2m-"));
    /// assert!(emulator.add_machine_client(NewMachineClient::new().client_id(&client.client_id)).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn add_machine_client(&self, seed: NewMachineClient) -> Result<MachineClient, SeedError> {
        add(&self.server.shared, &seed).map_err(SeedError::Invalid)
    }

    /// The machine clients, oldest first, each with the number of access tokens the
    /// grant has issued it (`tokens_issued`: how a test counts token requests). The admin
    /// API's `GET /emulator/v1/machine/clients` lists the same.
    ///
    /// ```
    /// let emulator = authing_emulator::Emulator::start()?;
    /// assert!(emulator.machine_clients().is_empty());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn machine_clients(&self) -> Vec<MachineClient> {
        self.server.shared.state().families.machine.clients()
    }
}
