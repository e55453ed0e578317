//! The community charter (*carta de la comunidad*): versioned named sections, drafts and
//! adoption, and the comparison of two versions.
