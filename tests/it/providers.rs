//! Every shipped provider file is valid and compiled in; invalid samples are rejected with the
//! file and field named; user files override built-ins.

use lanyard::provider::registry::{BUILTIN, Registry};
use lanyard::provider::{Provider, Source};

use crate::support::Sandbox;

#[test]
fn every_shipped_provider_file_is_valid_and_compiled_in() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/providers");
    let mut seen = 0;
    for e in std::fs::read_dir(dir).unwrap() {
        let path = e.unwrap().path();
        if path.extension().is_none_or(|x| x != "toml") {
            continue;
        }
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        let p = Provider::parse(&text, Source::User(path.clone())).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(format!("{}.toml", p.id), name, "file name matches id");
        let compiled = BUILTIN.iter().find(|(n, _)| *n == name).unwrap_or_else(|| panic!("{name} not in BUILTIN"));
        assert_eq!(compiled.1, text);
        seen += 1;
    }
    assert_eq!(seen, BUILTIN.len(), "every BUILTIN entry has a file");
    // Aliases are unique across built-ins.
    let reg = Registry::load(std::path::Path::new("/nonexistent")).unwrap();
    let mut aliases: Vec<&String> = reg.all().iter().flat_map(|p| &p.aliases).collect();
    let n = aliases.len();
    aliases.sort();
    aliases.dedup();
    assert_eq!(aliases.len(), n, "duplicate alias");
}

#[test]
fn invalid_samples_are_rejected_naming_the_field() {
    let base = "name = \"X\"\nfamily = \"gitea\"\n";
    let samples: &[(&str, &str)] = &[
        ("id = \"Bad Id\"\nname = \"X\"\nfamily = \"gitea\"\n", "`id`"),
        ("id = \"x\"\nname = \"\"\nfamily = \"gitea\"\n", "`name`"),
        ("id = \"x\"\nname = \"X\"\nfamily = \"svn\"\n", "unknown variant"),
        (&format!("id = \"x\"\n{base}hosts = [\"Git.Example.com\"]\n"), "`hosts`"),
        (&format!("id = \"x\"\n{base}hosts = [\"https://git.example.com\"]\n"), "`hosts`"),
        (&format!("id = \"x\"\n{base}aliases = [\"a.b\"]\n"), "`aliases`"),
        (&format!("id = \"x\"\n{base}api = \"http://example.com/api\"\n"), "`api`"),
        (&format!("id = \"x\"\n{base}api = \"{{nope}}/api\"\n"), "`api`"),
        (&format!("id = \"x\"\n{base}scopes = [\"a b\"]\n"), "`scopes`"),
        (&format!("id = \"x\"\n{base}colour = \"red\"\n"), "unknown field"),
        ("id = \"x\"\nname = \"X\"\nfamily = \"gitea\"\n[device]\nclient_id = \"c\"\n", "`device`"),
        ("id = \"x\"\nname = \"X\"\n", "missing field `family`"),
        ("id = \"x\"\nname = \"X\"\nfamily = \"gitea\"\nhosts = \"one\"\n", "line 4"),
        ("this is not toml", "line 1"),
    ];
    for (text, want) in samples {
        let err = Provider::parse(text, Source::User("/u/p.toml".into())).expect_err(text);
        assert!(err.message.contains("/u/p.toml"), "{}", err.message);
        assert!(err.message.contains(want), "{text:?}: {} lacks {want}", err.message);
        assert_eq!(err.exit.code(), 2);
    }
}

#[test]
fn user_provider_overrides_and_invalid_user_file_is_exit_2() {
    let sb = Sandbox::new();
    let dir = sb.config_dir().join("providers");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("github.toml"),
        "id = \"github\"\nname = \"Our GitHub\"\nfamily = \"github\"\nhosts = [\"github.com\"]\naliases = [\"github\", \"hub\"]\n[device]\nclient_id = \"Iv1.ours\"\n",
    )
    .unwrap();
    let r = sb.run(&["providers", "--json"], None);
    r.code(0);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let gh = v["providers"].as_array().unwrap().iter().find(|p| p["id"] == "github").unwrap().clone();
    assert_eq!(gh["name"], "Our GitHub");
    assert_eq!(gh["device_flow"], true);
    assert_eq!(v["providers"].as_array().unwrap().iter().filter(|p| p["id"] == "github").count(), 1);
    sb.run(&["status", "hub"], None).code(3);

    std::fs::write(dir.join("broken.toml"), "id = \"b\"\nname = \"B\"\nfamily = \"gitea\"\nhosts = [\"NOPE\"]\n")
        .unwrap();
    let r = sb.run(&["providers"], None);
    r.code(2);
    assert!(r.stderr.contains("broken.toml") && r.stderr.contains("`hosts`"), "{}", r.stderr);
}
