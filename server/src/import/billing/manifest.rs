//! Export manifests: which data files make up a month. AWS writes the manifest only after
//! every file of a delivery has landed, and in "create new" mode older deliveries stay beside
//! the current one, so only the files it lists are read.
//!
//! CUR 2.0 and FOCUS (Data Exports) manifests list `dataFiles` as full `s3://` URIs; legacy CUR
//! manifests list `reportKeys`, keys relative to the bucket. A local copy of the bucket
//! (`aws s3 sync`) keeps the keys' tails, so a listed file is found by the longest tail of its
//! key that exists under the manifest's folder or one above it.

use crate::import::ImportError;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// What the importer reads from a manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manifest {
    /// The data files, as the manifest names them (URIs or keys).
    pub data_files: Vec<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Raw {
    data_files: Option<Vec<String>>,
    report_keys: Option<Vec<String>>,
}

impl Manifest {
    /// Parses a CUR 2.0, FOCUS or legacy CUR manifest.
    pub fn parse(file: &str, bytes: &[u8]) -> Result<Manifest, ImportError> {
        let mut de = serde_json::Deserializer::from_slice(bytes);
        let raw: Raw = serde_path_to_error::deserialize(&mut de).map_err(|e| ImportError::from_path_error(file, e))?;
        let data_files = raw.data_files.or(raw.report_keys).ok_or_else(|| {
            ImportError::at(
                file,
                None,
                Some("dataFiles".into()),
                "a manifest lists its data files in `dataFiles` (or `reportKeys`)",
            )
        })?;
        if data_files.is_empty() {
            return Err(ImportError::at(file, None, Some("dataFiles".into()), "the manifest lists no data files"));
        }
        Ok(Manifest { data_files })
    }

    /// The listed files on disk, found under the manifest's folder or the folders above it
    /// (up to `root`); an error names the first that is not there.
    pub fn resolve(&self, manifest: &Path, root: &Path) -> Result<Vec<PathBuf>, ImportError> {
        let shown = manifest.display().to_string();
        let mut roots = Vec::new();
        let mut dir = manifest.parent();
        while let Some(d) = dir {
            roots.push(d.to_path_buf());
            if d == root || roots.len() > 8 {
                break;
            }
            dir = d.parent();
        }
        self.data_files
            .iter()
            .map(|f| {
                let parts: Vec<&str> = key_of(f).split('/').filter(|p| !p.is_empty() && *p != "..").collect();
                // The longest tail first, under any of the folders: in "create new" mode the
                // same file name sits in every delivery's folder.
                (0..parts.len())
                    .find_map(|skip| {
                        roots.iter().find_map(|r| {
                            let candidate = parts[skip..].iter().fold(r.clone(), |p, part| p.join(part));
                            candidate.is_file().then_some(candidate)
                        })
                    })
                    .ok_or_else(|| {
                        ImportError::at(
                            &shown,
                            None,
                            Some("dataFiles".into()),
                            format!("lists {f}, which is not under {}: copy the whole export", root.display()),
                        )
                    })
            })
            .collect()
    }
}

/// `s3://bucket/prefix/x/data/BILLING_PERIOD=2026-10/x-00001.snappy.parquet` →
/// `prefix/x/data/BILLING_PERIOD=2026-10/x-00001.snappy.parquet`; keys stay as they are.
fn key_of(file: &str) -> &str {
    match file.strip_prefix("s3://") {
        Some(rest) => rest.split_once('/').map_or("", |(_, key)| key),
        None => file,
    }
}

/// The last part of a URI or key: how an uploaded file is matched to the manifest.
pub fn base_name(file: &str) -> &str {
    file.rsplit('/').next().unwrap_or(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_manifest_kinds_list_their_files() {
        let cur2 = br#"{"executionId":"e1","exportArn":"arn:aws:bcm-data-exports:us-east-1:123:export/x","columns":[{"name":"bill_bill_type","type":"string"}],
            "dataFiles":["s3://b/p/x/data/BILLING_PERIOD=2026-10/x-00001.snappy.parquet","s3://b/p/x/data/BILLING_PERIOD=2026-10/x-00002.snappy.parquet"],
            "additionalOutputFiles":[]}"#;
        let m = Manifest::parse("x-Manifest.json", cur2).unwrap();
        assert_eq!(base_name(&m.data_files[1]), "x-00002.snappy.parquet");
        let legacy = br#"{"assemblyId":"a1","reportKeys":["p/r/20261001-20261101/a1/r-1.csv.gz"],"billingPeriod":{"start":"20261001T000000.000Z"}}"#;
        assert_eq!(
            Manifest::parse("r-Manifest.json", legacy).unwrap().data_files,
            vec!["p/r/20261001-20261101/a1/r-1.csv.gz"]
        );
        let err = Manifest::parse("m.json", br#"{"columns":[]}"#).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("dataFiles"));
    }

    #[test]
    fn listed_files_are_found_by_the_longest_tail_of_their_key() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("x");
        let data = root.join("data/BILLING_PERIOD=2026-10");
        let meta = root.join("metadata/BILLING_PERIOD=2026-10");
        std::fs::create_dir_all(&data).unwrap();
        std::fs::create_dir_all(&meta).unwrap();
        std::fs::write(data.join("x-00001.snappy.parquet"), b"PAR1").unwrap();
        let m = Manifest { data_files: vec!["s3://b/p/x/data/BILLING_PERIOD=2026-10/x-00001.snappy.parquet".into()] };
        let manifest = meta.join("x-Manifest.json");
        assert_eq!(m.resolve(&manifest, &root).unwrap(), vec![data.join("x-00001.snappy.parquet")]);
        let missing =
            Manifest { data_files: vec!["s3://b/p/x/data/BILLING_PERIOD=2026-10/x-00002.snappy.parquet".into()] };
        let err = missing.resolve(&manifest, &root).unwrap_err();
        assert!(err.message.contains("x-00002.snappy.parquet"), "{err}");
    }
}
