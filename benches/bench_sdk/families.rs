//! The families' rows, each measured by its own file, printed and checked together.

use crate::child::EmulatorProcess;
use crate::{browser_rows, phase, qr_rows, session_rows, signin_rows};

pub struct Families {
    signin: signin_rows::SignIn,
    session: session_rows::Session,
    browser: browser_rows::Browser,
    qr: qr_rows::Qr,
}

pub fn run(emu: &mut EmulatorProcess) -> Families {
    phase("sign-in");
    let signin = signin_rows::measure(emu);
    phase("session");
    let session = session_rows::measure(emu);
    phase("browser sign-in");
    let browser = browser_rows::measure(emu);
    phase("qr polling");
    let qr = qr_rows::measure(emu);
    Families {
        signin,
        session,
        browser,
        qr,
    }
}

impl Families {
    pub fn print(&self) {
        self.signin.print();
        self.session.print();
        self.browser.print();
        self.qr.print();
    }

    pub fn targets(&self) {
        self.signin.targets();
        self.session.targets();
        self.browser.targets();
        self.qr.targets();
    }
}
