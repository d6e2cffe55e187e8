//! Writing a snapshot directory never leaves old and new files mixed, and a swap a crash
//! interrupted is finished on the next read.

use std::path::{Path, PathBuf};
use tco_pricing_data::OwnedSnapshot;

/// A scratch directory of the test's own, removed when the test ends (pass or fail).
struct Scratch(PathBuf);

impl std::ops::Deref for Scratch {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn scratch(name: &str) -> Scratch {
    let dir = std::env::temp_dir().join(format!("tco-write-dir-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    Scratch(dir)
}

fn leftovers(parent: &Path) -> Vec<String> {
    std::fs::read_dir(parent)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".new") || n.ends_with(".old"))
        .collect()
}

#[test]
fn a_snapshot_is_written_whole_and_replaces_the_old_one() {
    let parent = scratch("replace");
    let dir = parent.join("catalog");
    OwnedSnapshot::embedded().write_dir(&dir).unwrap();
    // write again over it: same content back, nothing left beside it
    OwnedSnapshot::embedded().write_dir(&dir).unwrap();
    assert_eq!(OwnedSnapshot::read_dir(&dir).unwrap().files(), OwnedSnapshot::embedded().files());
    assert!(leftovers(&parent).is_empty(), "{:?}", leftovers(&parent));
}

#[test]
fn a_swap_cut_short_after_staging_is_finished_on_read() {
    let parent = scratch("staged");
    let dir = parent.join("catalog");
    OwnedSnapshot::embedded().write_dir(&dir).unwrap();
    // the state a crash between the two renames leaves: the old one aside, the new one staged
    std::fs::rename(&dir, parent.join(".catalog.old")).unwrap();
    OwnedSnapshot::embedded().write_dir(&parent.join("staged")).unwrap();
    std::fs::rename(parent.join("staged"), parent.join(".catalog.new")).unwrap();
    let read = OwnedSnapshot::read_dir(&dir).unwrap();
    assert_eq!(read.files(), OwnedSnapshot::embedded().files());
    assert!(dir.join("manifest.json").is_file());
}

#[test]
fn an_incomplete_staging_directory_gives_way_to_the_old_snapshot() {
    let parent = scratch("partial");
    let dir = parent.join("catalog");
    OwnedSnapshot::embedded().write_dir(&dir).unwrap();
    std::fs::rename(&dir, parent.join(".catalog.old")).unwrap();
    std::fs::create_dir_all(parent.join(".catalog.new")).unwrap();
    std::fs::write(parent.join(".catalog.new/manifest.json"), "{").unwrap();
    assert_eq!(OwnedSnapshot::read_dir(&dir).unwrap().files(), OwnedSnapshot::embedded().files());
}

#[test]
fn a_directory_holding_other_files_is_refused_and_left_alone() {
    let parent = scratch("foreign");
    let dir = parent.join("home");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("notes.txt"), "mine").unwrap();
    let err = OwnedSnapshot::embedded().write_dir(&dir).unwrap_err();
    assert!(err.to_string().contains("notes.txt"), "{err}");
    assert_eq!(std::fs::read_to_string(dir.join("notes.txt")).unwrap(), "mine");
}
