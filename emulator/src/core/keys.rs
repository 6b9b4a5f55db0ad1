//! The emulator's key pairs for `passwordEncryptType` `rsa` and `sm2`.
//!
//! **Public test keys, not secrets.** They were generated once (`openssl genrsa 2048`; an
//! SM2 scalar from the `sm2` crate) and are published in this source file, so anyone can
//! decrypt what is encrypted to them: use them only with the emulator, never with real
//! passwords. They are fixed so that start-up stays instant (generating RSA 2048 takes
//! seconds in a debug build) and so that tests can rely on them.

use std::sync::OnceLock;

/// The RSA 2048 private key (PKCS#8 PEM). PUBLIC TEST KEY, NOT A SECRET.
pub const RSA_PRIVATE_KEY_PEM: &str = "\
-----BEGIN PRIVATE KEY-----\n\
MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC0tyXSChDln5rz\n\
WQQ0ul3oRVDhp23k263tMtyIrFSxIlSE77pwuaa0rHC5HSpxlKhdUMFGIV2PzupN\n\
UQ35AakCLKal4G3J0iAtgBCqsFkIperDiGS149ZgZfNXIkGEZGdqm13XrWjs7xUI\n\
EBoLS3gWTkpAN84hiIkWAsnsZAnGxinxkBWm/KDroOGg+ZTSCbkLERYvyk44zwm9\n\
bcck179gQEc9MQVNgCgpIh9P15rIusU63tbd/zsk0/rkQtiiOkXjNiSsW+YPQTY0\n\
rYI8j4B8Ddl8rP1WhTUAILdXotSVcJkXmlAWZ6YEtQosSY9VX3QV62COUFMdQm3a\n\
I5AkKgqLAgMBAAECggEADGwejG6mtLIg+6Nd16YL+IBzS9+vfTDgptJ9OGPoOnjq\n\
qGy2OzN30ymbYg4wMbiPTkLT1ldK0CzgDEqLFFfZ301kcziXM21fSuFnw+P1atPE\n\
7IX+rkYoIV5AuPeg21HvjfN6Iu5HrSnOH0zEDYy1h4sALaPoZoO1MK8mZDqINYKh\n\
14NYEYPYJS0U4ROIVbtniw6V3Un0AvTKg7b2o/TzgXIikiai4jbUo2pENXkIOkDc\n\
ZbpmVW+xCwM6Yra+8vBkNHjb84ISA+WrZfxSGJ6ODQV7WUjI5AyiVRnaMP15TOhs\n\
GshA6WznVGRgodQu5hn83fLwXByhiMFbNy7JUcnlWQKBgQD3xJwrF3zuvCpSw/+C\n\
HQeECaN9FB1Bwy90htzVF1hAphKZygdrLgAqX1FotMEiK+Yj5+237vqT6zytCs5w\n\
tlXS6NnvnghFpc+vCeSn6c6i6/fnCLSspiMRosWsK6+ptF5Sa5M4ZFlkry4OI5cS\n\
GD+yUj2CkZLnFlm2XVLC3XYmdQKBgQC6uDjeopjjn2We75egpItBT3/X9uuKOFHR\n\
iInhAnCxrWm9zKa6+hFqtZc6HYvGyeNsugkKfFel/doNPepIHe+/0GtMgQ5/K7EZ\n\
Zj2C7byt2nC7zMfyT5RLKGIv49tl17X9ho8mmiR87XBsXeO3Pd6F0RngFkFVrCof\n\
9aCHO/NM/wKBgBqw33H08cx2EMkhvCC0J98derM6u3weHrqa3KdIAIXWXiKbFPmC\n\
1xm5cveooTWhLQWpMn6iC/RrXvn1NBAIVG6IDxI1IAcAucLNeghss4nxiZ8l3PDM\n\
ZPK9ajYF7sKFX7PZSt7EUKz8AiYbx2Z3nkUDfwTV0dF7Iub2XrgHS3cRAoGBAJuk\n\
VltWxATxaH7sjsLshdvCDfoSrFJCEgmMPApgw1mICN2aSt0O+BewGMfruwjQXw/R\n\
nxmrflAyY2GoW7MTqTaF3/sclN3yqKRYcivCSgXNUS1qTL0yEpX3qqjq0YZ6Igyb\n\
7pWp5YJxVcYvGVM0clmvbFc7leh5I4ASemZf1bY3AoGAfVFXNLtf7GXXlXOB+r3w\n\
0U6zqLr3sE44FWiE+1XnvvVvPQsdzQPtXpU7GKnDeCoK3l+/sYFm2/Gz+f20eAJO\n\
YD6N4PA2PdadqlQHfiTMppK0ib02VM4OF+MQVwb6JKy2kD8PIiXajfvSj9bDzKUf\n\
mSqaxIE5w8lFAhUFbXBPLOg=\n\
-----END PRIVATE KEY-----\n\
";

/// The RSA public key as `GET /api/v3/system` serves it: PEM SPKI, 64-column lines, a
/// final line break (the form Authing's Android SDK looks for).
pub const RSA_PUBLIC_KEY_PEM: &str = "\
-----BEGIN PUBLIC KEY-----\n\
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAtLcl0goQ5Z+a81kENLpd\n\
6EVQ4adt5Nut7TLciKxUsSJUhO+6cLmmtKxwuR0qcZSoXVDBRiFdj87qTVEN+QGp\n\
AiympeBtydIgLYAQqrBZCKXqw4hktePWYGXzVyJBhGRnaptd161o7O8VCBAaC0t4\n\
Fk5KQDfOIYiJFgLJ7GQJxsYp8ZAVpvyg66DhoPmU0gm5CxEWL8pOOM8JvW3HJNe/\n\
YEBHPTEFTYAoKSIfT9eayLrFOt7W3f87JNP65ELYojpF4zYkrFvmD0E2NK2CPI+A\n\
fA3ZfKz9VoU1ACC3V6LUlXCZF5pQFmemBLUKLEmPVV90FetgjlBTHUJt2iOQJCoK\n\
iwIDAQAB\n\
-----END PUBLIC KEY-----\n\
";

/// The SM2 private scalar (hex). PUBLIC TEST KEY, NOT A SECRET.
pub const SM2_PRIVATE_KEY_HEX: &str =
    "258f103725c73bcb36bd1beaf3b2bebc97ff0985ec99a30abb9fd8475821268a";

/// The SM2 public key as `GET /api/v3/system` serves it: hex of the uncompressed point,
/// `04` + X + Y.
pub const SM2_PUBLIC_KEY_HEX: &str = "04728e62cf84ca3cfedeada82fbf9c02ab83f7f355b223d3826cbb71277beee0dba5513c4f0bb8b9af9056611c2a1e224e6497fe6c1dd893de8fa505ebe15dca73";

/// The parsed private keys.
pub(crate) struct Keys {
    pub(crate) rsa: rsa::PrivateKey,
    pub(crate) sm2: sm2::SecretKey,
}

/// The private keys, parsed on first use.
pub(crate) fn keys() -> &'static Keys {
    static KEYS: OnceLock<Keys> = OnceLock::new();
    KEYS.get_or_init(|| {
        use rsa::pkcs8::DecodePrivateKey;
        let der =
            crate::core::codec::pem_der(RSA_PRIVATE_KEY_PEM).expect("embedded rsa key is pem");
        let bytes =
            crate::core::codec::unhex(SM2_PRIVATE_KEY_HEX).expect("embedded sm2 key is hex");
        Keys {
            rsa: rsa::PrivateKey::from_pkcs8_der(&der).expect("embedded rsa key is pkcs#8"),
            sm2: sm2::SecretKey::from_slice(&bytes).expect("embedded sm2 key is a scalar"),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_served_keys_belong_to_the_private_keys() {
        use sm2::elliptic_curve::sec1::ToSec1Point;

        use rsa::pkcs8::DecodePublicKey;
        let der = crate::core::codec::pem_der(RSA_PUBLIC_KEY_PEM).unwrap();
        let served = rsa::PublicKey::from_public_key_der(&der).unwrap();
        assert_eq!(served, keys().rsa.to_public_key());
        assert!(RSA_PUBLIC_KEY_PEM.starts_with("-----BEGIN PUBLIC KEY-----\n"));
        assert!(RSA_PUBLIC_KEY_PEM.ends_with("\n-----END PUBLIC KEY-----\n"));

        let point = keys().sm2.public_key().to_sec1_point(false);
        assert_eq!(
            crate::core::codec::hex(point.as_bytes()),
            SM2_PUBLIC_KEY_HEX
        );
    }
}
