//! The countries `get-country-list` serves: ISO 3166 codes, the calling code and the name
//! in the four languages of the spec's `LangObject`. A fixed table of common countries
//! **(our choice; the real list is longer)**.

/// `(alpha2, alpha3, calling code, zh-CN, en-US, zh-TW, ja-JP)`.
pub(crate) const COUNTRIES: &[(&str, &str, &str, &str, &str, &str, &str)] = &[
    ("CN", "CHN", "+86", "中国", "China", "中國", "中国"),
    (
        "HK",
        "HKG",
        "+852",
        "中国香港",
        "Hong Kong, China",
        "中國香港",
        "中国香港",
    ),
    (
        "MO",
        "MAC",
        "+853",
        "中国澳门",
        "Macao, China",
        "中國澳門",
        "中国マカオ",
    ),
    (
        "TW",
        "TWN",
        "+886",
        "中国台湾",
        "Taiwan, China",
        "中國台灣",
        "中国台湾",
    ),
    (
        "US",
        "USA",
        "+1",
        "美国",
        "United States",
        "美國",
        "アメリカ合衆国",
    ),
    ("CA", "CAN", "+1", "加拿大", "Canada", "加拿大", "カナダ"),
    (
        "GB",
        "GBR",
        "+44",
        "英国",
        "United Kingdom",
        "英國",
        "イギリス",
    ),
    ("FR", "FRA", "+33", "法国", "France", "法國", "フランス"),
    ("DE", "DEU", "+49", "德国", "Germany", "德國", "ドイツ"),
    ("IT", "ITA", "+39", "意大利", "Italy", "義大利", "イタリア"),
    ("ES", "ESP", "+34", "西班牙", "Spain", "西班牙", "スペイン"),
    (
        "NL",
        "NLD",
        "+31",
        "荷兰",
        "Netherlands",
        "荷蘭",
        "オランダ",
    ),
    ("RU", "RUS", "+7", "俄罗斯", "Russia", "俄羅斯", "ロシア"),
    ("JP", "JPN", "+81", "日本", "Japan", "日本", "日本"),
    ("KR", "KOR", "+82", "韩国", "South Korea", "韓國", "韓国"),
    (
        "SG",
        "SGP",
        "+65",
        "新加坡",
        "Singapore",
        "新加坡",
        "シンガポール",
    ),
    (
        "MY",
        "MYS",
        "+60",
        "马来西亚",
        "Malaysia",
        "馬來西亞",
        "マレーシア",
    ),
    ("TH", "THA", "+66", "泰国", "Thailand", "泰國", "タイ"),
    ("VN", "VNM", "+84", "越南", "Vietnam", "越南", "ベトナム"),
    (
        "ID",
        "IDN",
        "+62",
        "印度尼西亚",
        "Indonesia",
        "印尼",
        "インドネシア",
    ),
    (
        "PH",
        "PHL",
        "+63",
        "菲律宾",
        "Philippines",
        "菲律賓",
        "フィリピン",
    ),
    ("IN", "IND", "+91", "印度", "India", "印度", "インド"),
    (
        "AU",
        "AUS",
        "+61",
        "澳大利亚",
        "Australia",
        "澳洲",
        "オーストラリア",
    ),
    (
        "NZ",
        "NZL",
        "+64",
        "新西兰",
        "New Zealand",
        "紐西蘭",
        "ニュージーランド",
    ),
    ("BR", "BRA", "+55", "巴西", "Brazil", "巴西", "ブラジル"),
    ("MX", "MEX", "+52", "墨西哥", "Mexico", "墨西哥", "メキシコ"),
    (
        "AE",
        "ARE",
        "+971",
        "阿联酋",
        "United Arab Emirates",
        "阿聯酋",
        "アラブ首長国連邦",
    ),
    (
        "ZA",
        "ZAF",
        "+27",
        "南非",
        "South Africa",
        "南非",
        "南アフリカ",
    ),
];

/// The flag emoji of an ISO 3166 alpha-2 code (two regional indicator symbols).
pub(crate) fn flag(alpha2: &str) -> String {
    alpha2
        .chars()
        .filter_map(|c| {
            char::from_u32(0x1F1E6 + (c.to_ascii_uppercase() as u32).checked_sub('A' as u32)?)
        })
        .collect()
}
