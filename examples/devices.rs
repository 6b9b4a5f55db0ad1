//! The signed-in user's devices, offline on the bundled emulator: one user signs in on two
//! devices (two clients, each with a device id of its own), lists them, signs the phone
//! out from the laptop (the phone's next call answers 10015 once its refresh is refused),
//! then removes the phone from the list.
//!
//! ```text
//! cargo run --example devices
//! ```

use authing::emulator::{Emulator, NewUser};
use authing::{codes, AuthClient, AuthResponse, Lang};

const USERNAME: &str = "mike";
const PASSWORD: &str = "passw0rd-123";

fn main() {
    if let Err(problem) = run() {
        eprintln!("devices: {problem}");
        std::process::exit(1);
    }
}

/// A client of `emulator` on the device `id`, named `name`, signed in as mike.
fn signed_in_on(emulator: &Emulator, id: &str, name: &str) -> Result<AuthClient, String> {
    let client = AuthClient::builder()
        .app_id(emulator.app_id())
        .app_host(emulator.base_url())
        .device_id(id)
        .device_name(name)
        .lang(Lang::EnUs)
        .build()
        .map_err(|e| e.to_string())?;
    let signed_in = client.sign_in_by_account_password_blocking(USERNAME, PASSWORD, None);
    if signed_in.status_code() != 200 {
        return Err(format!("sign-in on {name}: {}", signed_in.message()));
    }
    println!("signed in on {name} ({id})");
    Ok(client)
}

/// Prints the devices `client`'s user signed in on, marking `client`'s own.
fn print_devices(client: &AuthClient) -> Result<(), String> {
    let this_device = client.device_id();
    let devices = client
        .list_blocking(1, 10)
        .device_list()
        .map_err(|e| e.to_string())?;
    for session in devices {
        let device = session.device();
        println!(
            "  {:<10} {:<16} {:<8} last sign-in {} from {}, {}{}",
            device.device_id(),
            device.name(),
            device.os(),
            session.last_login_time(),
            session.last_ip(),
            if session.online() {
                "online"
            } else {
                "signed out"
            },
            if Some(device.device_id()) == this_device.as_deref() {
                " (this device)"
            } else {
                ""
            },
        );
    }
    Ok(())
}

fn run() -> Result<(), String> {
    let emulator = Emulator::start().map_err(|e| format!("could not start the emulator: {e}"))?;
    emulator
        .add_user(NewUser::with_username(USERNAME, PASSWORD))
        .map_err(|e| e.to_string())?;
    println!(
        "offline: the authing emulator is listening on {}\n",
        emulator.base_url()
    );

    let laptop = signed_in_on(&emulator, "laptop-1", "Mike's laptop")?;
    let phone = signed_in_on(&emulator, "phone-1", "Mike's phone")?;
    println!("\nthe devices, as the laptop sees them:");
    print_devices(&laptop)?;

    // The callback form, as a ported Java handler would call it.
    laptop
        .revoke("phone-1", |response: AuthResponse| {
            println!(
                "\nrevoke phone-1: {} {}",
                response.status_code(),
                response.message()
            );
        })
        .join()
        .map_err(|_| "the revoke callback panicked".to_string())?;
    let after = phone.list_blocking(1, 10);
    println!(
        "the phone's next call: {} ({})",
        after.status_code(),
        if after.status_code() == codes::NOT_SIGNED_IN {
            "not signed in: its refresh token was refused too"
        } else {
            "unexpected"
        }
    );
    print_devices(&laptop)?;

    let unbound = laptop.unbind_blocking("phone-1");
    println!("\nunbind phone-1: {}", unbound.status_code());
    print_devices(&laptop)?;
    Ok(())
}
