//! The table: one row per journey and client, its median, the counts of its median run,
//! the physical minimum and whether the median met it.
//!
//! The minimum is the round trips the journey cannot do without, × RTT: its requests in
//! series, plus, when no connection could be open yet (a client made at the click, a
//! program start), the connection's handshakes: TCP (1 RTT) and over https TLS 1.3 (1
//! more). A row **met** its minimum when its median is within RTT / 2 + 10 ms of it (the
//! 10 ms: the emulator's password hash and token signatures and the client's own work,
//! 5-15 ms here); otherwise it **missed**.

use std::time::Duration;

use crate::journeys::{Run, QR_INTERVAL};

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Journey {
    SignIn,
    SignInRsa,
    ColdStart,
    Recovery,
    Expired,
    Qr,
    Browser,
}

impl Journey {
    fn label(self) -> &'static str {
        match self {
            Journey::SignIn => "1. click \"Sign in\", password, plain",
            Journey::SignInRsa => "2. the same, PasswordEncryptType::rsa",
            Journey::ColdStart => "3. cold program start to signed in",
            Journey::Recovery => "4. recovery: send code, verify, reset",
            Journey::Expired => "5. call on a server-expired token",
            Journey::Qr => "6. QR: code shown -> signed in",
            Journey::Browser => "7. browser: redirect -> signed in",
        }
    }

    /// The requests in series the journey cannot do without, and what they are.
    fn requests(self) -> (u32, &'static str) {
        match self {
            Journey::SignIn => (1, "signin"),
            Journey::SignInRsa => (1, "signin (key fetched before)"),
            Journey::ColdStart => (1, "signin"),
            Journey::Recovery => (3, "3 calls"),
            Journey::Expired => (3, "call, refresh, call"),
            Journey::Qr => (2, "status check, exchange"),
            Journey::Browser => (1, "code exchange"),
        }
    }
}

pub struct Row {
    journey: Journey,
    who: &'static str,
    /// No connection could be open when the journey starts.
    cold: bool,
    result: Result<Vec<Run>, String>,
}

impl Row {
    pub fn new(
        journey: Journey,
        who: &'static str,
        cold: bool,
        result: Result<Vec<Run>, String>,
    ) -> Row {
        Row {
            journey,
            who,
            cold,
            result,
        }
    }

    /// The minimum in round trips, and what it is made of.
    fn minimum(&self, tls: bool) -> (u32, String) {
        let (requests, what) = self.journey.requests();
        if !self.cold {
            return (requests, what.to_owned());
        }
        if tls {
            (requests + 2, format!("TCP + TLS + {what}"))
        } else {
            (requests + 1, format!("TCP + {what}"))
        }
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

pub fn print(rows: &[Row], rtt: Duration, tls: bool) {
    let rtt_ms = ms(rtt);
    let tolerance = rtt_ms / 2.0 + 10.0;
    println!("| journey | client | median (min-max) | ≈ RTTs | minimum | met | conn / TLS (resumed) / requests |");
    println!("|---|---|---|---|---|---|---|");
    for row in rows {
        let (min_rtts, why) = row.minimum(tls);
        let floor = f64::from(min_rtts) * rtt_ms;
        let minimum = format!("{min_rtts} RTT = {floor:.0} ms ({why})");
        let runs = match &row.result {
            Ok(runs) => runs,
            Err(why) => {
                println!(
                    "| {} | {} | {why} | | {minimum} | | |",
                    row.journey.label(),
                    row.who
                );
                continue;
            }
        };
        let mut order: Vec<&Run> = runs.iter().collect();
        order.sort_by_key(|r| r.wall);
        let median = order[order.len() / 2];
        let m = ms(median.wall);
        let c = median.counts;
        println!(
            "| {} | {} | {m:.0} ms ({:.0}-{:.0}) | {:.1} | {minimum} | {} | {} / {} ({}) / {} |",
            row.journey.label(),
            row.who,
            ms(order[0].wall),
            ms(order[order.len() - 1].wall),
            m / rtt_ms,
            if m <= floor + tolerance {
                "met"
            } else {
                "missed"
            },
            c.connections,
            c.handshakes,
            c.resumed,
            c.requests,
        );
    }
}

pub fn legend(rtt: Duration) -> String {
    format!(
        "met: the median within RTT / 2 + 10 ms ({:.0} ms) of the minimum. Counts are the \
         median run's: connections and TLS handshakes (resumed: the hello offered a \
         session) as the proxy saw them; requests as the proxy read them over http, as the \
         emulator counted them over https. QR: the client checks every {} ms; its first \
         check waits that long after the code is shown.",
        ms(rtt) / 2.0 + 10.0,
        QR_INTERVAL.as_millis()
    )
}
