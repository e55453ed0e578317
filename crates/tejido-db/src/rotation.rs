//! Rotation policies, opt-outs, skills and swaps.
