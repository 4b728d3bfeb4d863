//! The site's stylesheet and scripts, kept as plain files beside this module and embedded at
//! compile time (`site/assets/` of a release).

const FILES: [(&str, &str); 4] = [
    ("assets/site.css", include_str!("assets/site.css")),
    ("assets/search.js", include_str!("assets/search.js")),
    ("assets/cite.js", include_str!("assets/cite.js")),
    ("assets/claims.js", include_str!("assets/claims.js")),
];

pub fn files() -> Vec<(String, Vec<u8>)> {
    FILES
        .iter()
        .map(|(p, c)| ((*p).to_string(), c.as_bytes().to_vec()))
        .collect()
}
