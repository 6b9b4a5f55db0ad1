//! [`Avatar`]: the picture `upload_avatar` sends, from a file, a reader or bytes, and the
//! checks it passes on this machine before anything is sent.

use std::fmt;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::error::InputError;

/// The largest avatar `upload_avatar` sends: 5 MiB (5 242 880 bytes). Authing publishes no
/// limit; this one is **our choice**, a bound on what is read into memory and sent, and
/// well above what an avatar needs.
pub const MAX_AVATAR_BYTES: usize = 5 * 1024 * 1024;

/// The picture [`upload_avatar`](crate::AuthClient::upload_avatar) uploads (Java: the
/// `InputStream` of `uploadAvatar`): a file by its path, any reader, or bytes in memory.
///
/// It is read on the call's worker thread when the call runs, at most
/// [`MAX_AVATAR_BYTES`] and one byte more. Checked before anything is sent (status code
/// 10010, field `avatar`): the file can be opened and read, it is not empty, not larger
/// than the limit, and it is a PNG, JPEG, GIF or WebP image by its first bytes (its file
/// name does not matter). The part is sent with the type found (`image/jpeg`, say), where
/// Android calls everything `image/png`.
///
/// ```no_run
/// use std::path::Path;
/// use authing::Avatar;
/// let from_path: Avatar = Path::new("me.png").into();
/// let from_reader = Avatar::from_reader(std::io::stdin());
/// let from_bytes: Avatar = std::fs::read("me.jpg")?.into();
/// # let _ = (from_path, from_reader, from_bytes);
/// # Ok::<(), std::io::Error>(())
/// ```
pub struct Avatar {
    source: Source,
}

enum Source {
    Path(PathBuf),
    Reader(Box<dyn Read + Send>),
    Bytes(Vec<u8>),
}

/// An image, checked, ready to upload.
pub(crate) struct Image {
    pub(crate) bytes: Vec<u8>,
    pub(crate) kind: ImageKind,
}

/// The image formats an avatar may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ImageKind {
    Png,
    Jpeg,
    Gif,
    Webp,
}

impl ImageKind {
    /// The format of `bytes`, by their signature.
    pub(crate) fn sniff(bytes: &[u8]) -> Option<ImageKind> {
        if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(ImageKind::Png)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(ImageKind::Jpeg)
        } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
            Some(ImageKind::Gif)
        } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
            Some(ImageKind::Webp)
        } else {
            None
        }
    }

    /// The media type.
    pub(crate) fn mime(self) -> &'static str {
        match self {
            ImageKind::Png => "image/png",
            ImageKind::Jpeg => "image/jpeg",
            ImageKind::Gif => "image/gif",
            ImageKind::Webp => "image/webp",
        }
    }

    /// The file name extension.
    pub(crate) fn extension(self) -> &'static str {
        match self {
            ImageKind::Png => "png",
            ImageKind::Jpeg => "jpg",
            ImageKind::Gif => "gif",
            ImageKind::Webp => "webp",
        }
    }
}

impl Avatar {
    /// The avatar in the file at `path`, read when the call runs.
    ///
    /// ```no_run
    /// let avatar = authing::Avatar::from_path("me.png");
    /// # let _ = avatar;
    /// ```
    pub fn from_path(path: impl Into<PathBuf>) -> Avatar {
        Avatar {
            source: Source::Path(path.into()),
        }
    }

    /// The avatar `reader` gives (Java: an `InputStream`), read when the call runs.
    ///
    /// ```
    /// let avatar = authing::Avatar::from_reader(std::io::Cursor::new(vec![0x89, b'P']));
    /// # let _ = avatar;
    /// ```
    pub fn from_reader(reader: impl Read + Send + 'static) -> Avatar {
        Avatar {
            source: Source::Reader(Box::new(reader)),
        }
    }

    /// The avatar in `bytes`.
    ///
    /// ```
    /// let avatar = authing::Avatar::from_bytes(b"GIF89a".to_vec());
    /// # let _ = avatar;
    /// ```
    pub fn from_bytes(bytes: impl Into<Vec<u8>>) -> Avatar {
        Avatar {
            source: Source::Bytes(bytes.into()),
        }
    }

    /// Reads and checks the image.
    pub(crate) fn load(self) -> Result<Image, InputError> {
        const FIELD: &str = "avatar";
        let limit = MAX_AVATAR_BYTES as u64 + 1;
        let bytes = match self.source {
            Source::Bytes(bytes) => bytes,
            Source::Reader(reader) => read_all(reader.take(limit))
                .map_err(|e| InputError::new(FIELD, format!("cannot be read: {e}")))?,
            Source::Path(path) => {
                let cannot = |e: std::io::Error| {
                    InputError::new(
                        FIELD,
                        format!("cannot be read from {}: {e}", path.display()),
                    )
                };
                let file = File::open(&path).map_err(cannot)?;
                read_all(file.take(limit)).map_err(cannot)?
            }
        };
        if bytes.is_empty() {
            return Err(InputError::new(FIELD, "is empty"));
        }
        if bytes.len() > MAX_AVATAR_BYTES {
            return Err(InputError::new(
                FIELD,
                format!("is larger than {MAX_AVATAR_BYTES} bytes (5 MiB); make it smaller"),
            ));
        }
        let kind = ImageKind::sniff(&bytes)
            .ok_or_else(|| InputError::new(FIELD, "is not a PNG, JPEG, GIF or WebP image"))?;
        Ok(Image { bytes, kind })
    }
}

fn read_all(mut reader: impl Read) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    reader.read_to_end(&mut bytes)?;
    Ok(bytes)
}

impl From<&Path> for Avatar {
    fn from(path: &Path) -> Avatar {
        Avatar::from_path(path)
    }
}

impl From<PathBuf> for Avatar {
    fn from(path: PathBuf) -> Avatar {
        Avatar::from_path(path)
    }
}

impl From<&PathBuf> for Avatar {
    fn from(path: &PathBuf) -> Avatar {
        Avatar::from_path(path.clone())
    }
}

impl From<File> for Avatar {
    fn from(file: File) -> Avatar {
        Avatar::from_reader(file)
    }
}

impl From<Vec<u8>> for Avatar {
    fn from(bytes: Vec<u8>) -> Avatar {
        Avatar::from_bytes(bytes)
    }
}

impl From<&[u8]> for Avatar {
    fn from(bytes: &[u8]) -> Avatar {
        Avatar::from_bytes(bytes)
    }
}

impl fmt::Debug for Avatar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.source {
            Source::Path(path) => f.debug_tuple("Avatar::Path").field(path).finish(),
            Source::Reader(_) => f.write_str("Avatar::Reader"),
            Source::Bytes(bytes) => write!(f, "Avatar::Bytes({} bytes)", bytes.len()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_four_formats_are_told_by_their_first_bytes() {
        assert_eq!(
            ImageKind::sniff(b"\x89PNG\r\n\x1a\n...."),
            Some(ImageKind::Png)
        );
        assert_eq!(
            ImageKind::sniff(&[0xFF, 0xD8, 0xFF, 0xE0]),
            Some(ImageKind::Jpeg)
        );
        assert_eq!(ImageKind::sniff(b"GIF87a.."), Some(ImageKind::Gif));
        assert_eq!(
            ImageKind::sniff(b"RIFF\0\0\0\0WEBPVP8 "),
            Some(ImageKind::Webp)
        );
        assert_eq!(ImageKind::sniff(b"RIFF\0\0\0\0WAVEfmt "), None);
        assert_eq!(ImageKind::sniff(b"%PDF-1.7"), None);
    }

    #[test]
    fn a_reader_is_read_no_further_than_the_limit_and_one_byte() {
        let endless = std::io::repeat(0xFF);
        let error = Avatar::from_reader(endless).load().err().unwrap();
        assert_eq!(
            error.to_string(),
            "invalid input: avatar is larger than 5242880 bytes (5 MiB); make it smaller"
        );
    }
}
