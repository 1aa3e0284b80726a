//! How a vocabulary is declared: one line per term (its code, its Chinese and English
//! names), from which the enum, its text form in JSON and SQL, and its list for the map
//! are all made. The codes are the ones the database's CHECK constraints and lookup
//! tables hold; `tests/vocabulary.rs` compares them.

use std::fmt;

/// A term's names, as the `/vocabularies` resource and error messages give them.
pub trait Vocabulary: Copy + Sized + 'static {
    /// What one term is called in messages ("node kind").
    const WHAT: &'static str;
    /// Every term, in the order the domain lists them.
    const ALL: &'static [Self];
    fn code(self) -> &'static str;
    fn name_zh(self) -> &'static str;
    fn name_en(self) -> &'static str;

    /// Every code, in order.
    fn codes() -> Vec<&'static str> {
        Self::ALL.iter().map(|t| t.code()).collect()
    }

    /// For each term of [`Vocabulary::ALL`] (by its `index()`), whether it is among
    /// `chosen`: a lookup by index where a filter runs over every plot.
    fn chosen(chosen: &[Self]) -> Vec<bool>
    where
        Self: PartialEq,
    {
        Self::ALL.iter().map(|t| chosen.contains(t)).collect()
    }

    /// The term with `code`, or an error naming the known ones.
    fn from_code(code: &str) -> Result<Self, UnknownCode> {
        Self::ALL.iter().copied().find(|t| t.code() == code).ok_or_else(|| UnknownCode { what: Self::WHAT, code: code.into(), known: Self::codes() })
    }
}

/// A code that is not in its vocabulary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownCode {
    pub what: &'static str,
    pub code: String,
    pub known: Vec<&'static str>,
}

impl fmt::Display for UnknownCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown {} '{}'; known: {}", self.what, self.code, self.known.join(", "))
    }
}

impl std::error::Error for UnknownCode {}

/// "a, b or c": the codes of a vocabulary in a refusal's words.
pub fn one_of<V: Vocabulary>() -> String {
    match V::codes().split_last() {
        Some((last, [])) => (*last).to_string(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// Declares a vocabulary: `vocabulary!(Name, "what", { Variant = "code", "中文", "English"; … })`.
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident, $what:literal, { $($(#[$vmeta:meta])* $variant:ident = $code:literal, $zh:literal, $en:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $crate::domain::Vocabulary for $name {
            const WHAT: &'static str = $what;
            const ALL: &'static [Self] = &[$($name::$variant),+];
            fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }
            fn name_zh(self) -> &'static str {
                match self { $($name::$variant => $zh),+ }
            }
            fn name_en(self) -> &'static str {
                match self { $($name::$variant => $en),+ }
            }
        }

        impl $name {
            /// The code, as the API and the database write it.
            pub fn as_str(self) -> &'static str {
                $crate::domain::Vocabulary::code(self)
            }

            /// The term's place in [`Vocabulary::ALL`], for tables indexed by term.
            pub const fn index(self) -> usize {
                self as usize
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::domain::UnknownCode;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                <$name as $crate::domain::Vocabulary>::from_code(s)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let code = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
                code.parse().map_err(serde::de::Error::custom)
            }
        }

        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }
            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({ "type": "string", "description": $what, "enum": [$($code),+] })
            }
        }

        impl sqlx::Type<sqlx::Postgres> for $name {
            fn type_info() -> sqlx::postgres::PgTypeInfo {
                <&str as sqlx::Type<sqlx::Postgres>>::type_info()
            }
            fn compatible(ty: &sqlx::postgres::PgTypeInfo) -> bool {
                <&str as sqlx::Type<sqlx::Postgres>>::compatible(ty)
            }
        }

        impl sqlx::postgres::PgHasArrayType for $name {
            fn array_type_info() -> sqlx::postgres::PgTypeInfo {
                <&str as sqlx::postgres::PgHasArrayType>::array_type_info()
            }
        }

        impl<'r> sqlx::Decode<'r, sqlx::Postgres> for $name {
            fn decode(value: sqlx::postgres::PgValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
                let code = <&str as sqlx::Decode<sqlx::Postgres>>::decode(value)?;
                Ok(code.parse()?)
            }
        }

        impl sqlx::Encode<'_, sqlx::Postgres> for $name {
            fn encode_by_ref(&self, buf: &mut sqlx::postgres::PgArgumentBuffer) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
                <&str as sqlx::Encode<sqlx::Postgres>>::encode_by_ref(&self.as_str(), buf)
            }
        }
    };
}

pub(crate) use vocabulary;
