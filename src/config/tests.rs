//! Loader tests. Files live in temp dirs; the environment is a map, never the real process env.

use std::collections::HashMap;
use std::fs;

use super::*;

const SENTINEL: &str = "SENTINEL-s3cr3t-VALUE-42";

/// A temp "machine": a working directory, a user config dir and an environment map.
struct World {
    _tmp: tempfile::TempDir,
    cwd: PathBuf,
    config_dir: PathBuf,
    env: HashMap<String, String>,
}

impl World {
    fn new() -> World {
        let tmp = tempfile::tempdir().unwrap();
        let cwd = tmp.path().join("work");
        let config_dir = tmp.path().join("config");
        fs::create_dir_all(&cwd).unwrap();
        fs::create_dir_all(&config_dir).unwrap();
        World {
            _tmp: tmp,
            cwd,
            config_dir,
            env: HashMap::new(),
        }
    }

    fn write(&self, rel: &str, text: &str) -> PathBuf {
        let p = self.cwd.join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(&p, text).unwrap();
        p
    }

    fn plugin(&self, text: &str) -> PathBuf {
        self.write(PLUGIN_FILE, text)
    }

    fn set(&mut self, k: &str, v: &str) {
        self.env.insert(k.to_string(), v.to_string());
    }

    fn env_fn(&self) -> impl Fn(&str) -> Option<String> + '_ {
        |k| self.env.get(k).cloned()
    }

    fn load(&self) -> Result<Config, ConfigError> {
        self.load_explicit(None)
    }

    fn load_explicit(&self, explicit: Option<&Path>) -> Result<Config, ConfigError> {
        load_from(explicit, &self.cwd, Some(&self.config_dir), &self.env_fn())
    }

    fn err(&self, text: &str) -> String {
        self.plugin(text);
        let e = self.load().unwrap_err().to_string();
        assert!(!e.contains('\n'), "one line: {e}");
        assert!(!e.contains(SENTINEL), "secret leaked: {e}");
        e
    }
}

const REGION: &str = "cache_client_region_id=[{\"regionId\":\"cn-hangzhou\"}]\n";

fn ak(secret: &str) -> String {
    format!("credentials_type=ak\ncredentials_access_key_id=LTAI5tTESTKEY0001\ncredentials_access_secret={secret}\n{REGION}")
}

// ---- credential types -------------------------------------------------------------------------

#[test]
fn ak_parses_and_defaults_follow_the_first_region() {
    let w = World::new();
    w.plugin(&format!(
        "# plug-in file\nsecret_names=acs/ram/user/ci\nmonitor_period_milliseconds=1800000\n{}",
        ak(SENTINEL)
    ));
    let c = w.load().unwrap();
    match c.credentials.as_ref().unwrap() {
        Credentials::AccessKey { id, secret } => {
            assert_eq!(id, "LTAI5tTESTKEY0001");
            assert_eq!(secret.expose(), SENTINEL);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(c.regions[0].url, "https://kms.cn-hangzhou.aliyuncs.com");
    assert_eq!(c.sts_url, "https://sts.cn-hangzhou.aliyuncs.com");
    assert_eq!(c.ecs_metadata_url, "http://100.100.100.200");
    assert_eq!(c.files, vec![w.cwd.join(PLUGIN_FILE)]);
    assert!(
        c.warnings.is_empty(),
        "plug-in keys are silently accepted: {:?}",
        c.warnings
    );
}

#[test]
fn token_is_an_access_key_pair() {
    let w = World::new();
    w.plugin(&format!("credentials_type=TOKEN\ncredentials_access_token_id=LTAI5tTOKEN00001\ncredentials_access_token={SENTINEL}\n{REGION}"));
    match w.load().unwrap().credentials.unwrap() {
        Credentials::AccessKey { id, secret } => assert_eq!(
            (id.as_str(), secret.expose()),
            ("LTAI5tTOKEN00001", SENTINEL)
        ),
        other => panic!("{other:?}"),
    }
}

#[test]
fn sts_and_ram_role_are_assume_role() {
    for kind in ["sts", "ram_role"] {
        let w = World::new();
        w.plugin(&format!(
            "credentials_type={kind}\ncredentials_access_key_id=LTAI5tTESTKEY0001\ncredentials_access_secret={SENTINEL}\n\
             credentials_role_arn=acs:ram::123:role/reader\ncredentials_role_session_name=ci\ncredentials_policy={{\"Version\":\"1\"}}\n{REGION}"
        ));
        match w.load().unwrap().credentials.unwrap() {
            Credentials::AssumeRole {
                role_arn,
                session_name,
                policy,
                ..
            } => {
                assert_eq!(role_arn, "acs:ram::123:role/reader");
                assert_eq!(session_name, "ci");
                assert_eq!(policy.as_deref(), Some("{\"Version\":\"1\"}"));
            }
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn ecs_ram_role() {
    let mut w = World::new();
    w.plugin(&format!(
        "credentials_type=ecs_ram_role\ncredentials_role_name=EcsReader\n{REGION}"
    ));
    w.set("RAMSECRET_ECS_METADATA_ENDPOINT", "http://127.0.0.1:9000/");
    let c = w.load().unwrap();
    assert!(
        matches!(c.credentials, Some(Credentials::EcsRamRole { ref role_name }) if role_name == "EcsReader")
    );
    assert_eq!(c.ecs_metadata_url, "http://127.0.0.1:9000");
}

#[test]
fn client_key_paths_are_relative_to_the_file_and_password_sources_are_ordered() {
    let w = World::new();
    let dir = w.cwd.join("conf");
    let file = w.write(
        "conf/plugin.properties",
        &format!(
            "credentials_type=client_key\nclient_key_private_key_path=keys/clientKey.json\n\
             client_key_password_from_env_variable=MY_PW\nclient_key_password_from_file_path=pw.txt\n{REGION}"
        ),
    );
    let c = w.load_explicit(Some(&file)).unwrap();
    let Some(Credentials::ClientKey(r)) = c.credentials else {
        panic!()
    };
    assert_eq!(r.key, "client_key_private_key_path");
    assert_eq!(r.path, dir.join("keys/clientKey.json"));
    assert_eq!(
        r.password,
        vec![
            PasswordSource::Env {
                key: "client_key_password_from_env_variable".into(),
                var: "MY_PW".into()
            },
            PasswordSource::File {
                key: "client_key_password_from_file_path".into(),
                path: dir.join("pw.txt")
            },
            PasswordSource::Env {
                key: "client_key_password (fallback)".into(),
                var: "client_key_password".into()
            },
        ]
    );
}

#[test]
fn missing_required_key_names_file_line_key_and_fix() {
    let w = World::new();
    let e = w.err(&format!("{REGION}credentials_type=sts\ncredentials_access_key_id=LTAI5tTESTKEY0001\ncredentials_access_secret={SENTINEL}\ncredentials_role_session_name=ci\n"));
    let file = w.cwd.join(PLUGIN_FILE);
    assert_eq!(
        e,
        format!("{}:2: credentials_type=sts: credentials_role_arn is missing; add the line credentials_role_arn=acs:ram::<account-id>:role/<role-name>", file.display())
    );
}

#[test]
fn unknown_type_lists_valid_ones() {
    let e = World::new().err(&format!("credentials_type=oidc_role_arn\n{REGION}"));
    assert!(e.ends_with("credentials_type: unknown type \"oidc_role_arn\"; use one of ak, token, sts, ram_role, ecs_ram_role, client_key"), "{e}");
}

#[test]
fn unknown_and_repeated_keys_are_warnings_with_lines() {
    let w = World::new();
    w.plugin(&format!(
        "{}credentials_acess_key=x\ncache_client_region_id=[{{\"regionId\":\"cn-shanghai\"}}]\n",
        ak(SENTINEL)
    ));
    let c = w.load().unwrap();
    let file = w.cwd.join(PLUGIN_FILE).display().to_string();
    assert!(
        c.warnings.contains(&format!(
            "{file}:5: credentials_acess_key: unknown key, ignored (check the spelling)"
        )),
        "{:?}",
        c.warnings
    );
    assert!(
        c.warnings
            .iter()
            .any(|w| w.starts_with(&format!("{file}:4: cache_client_region_id: repeated"))),
        "{:?}",
        c.warnings
    );
    assert_eq!(c.regions[0].region_id, "cn-shanghai", "last wins");
}

// ---- properties syntax through the loader -------------------------------------------------------

#[test]
fn java_syntax_edge_cases_through_the_loader() {
    let w = World::new();
    w.plugin(&format!(
        "  # indented comment\r\n! bang\r\ncredentials_type : ak\r\ncredentials_access_key_id LTAI5tTESTKEY0001\r\n\
         credentials_access_secret=ab#c=={SENTINEL}\r\ncache_client_region_id=[{{\"regionId\":\\\r\n   \"cn-hangzhou\"}},\\\r\n  {{\"regionId\":\"cn-\\u0073hanghai\"}}]\r\n"
    ));
    let c = w.load().unwrap();
    let Some(Credentials::AccessKey { secret, .. }) = &c.credentials else {
        panic!()
    };
    assert_eq!(secret.expose(), format!("ab#c=={SENTINEL}"));
    let ids: Vec<_> = c.regions.iter().map(|r| r.region_id.as_str()).collect();
    assert_eq!(ids, ["cn-hangzhou", "cn-shanghai"]);
}

#[test]
fn syntax_error_names_file_and_line() {
    let w = World::new();
    let e = w.err(&format!(
        "{REGION}client_key_private_key_path=C:\\users\\me\\key.json\n"
    ));
    assert!(
        e.starts_with(&format!(
            "{}:2: Malformed \\uxxxx",
            w.cwd.join(PLUGIN_FILE).display()
        )),
        "{e}"
    );
    assert!(e.contains("write \\\\ for a backslash"), "{e}");
}

// ---- regions ------------------------------------------------------------------------------------

#[test]
fn region_endpoint_precedence_and_vpc_forms() {
    let w = World::new();
    w.plugin(include_str!(
        "../../tests/fixtures/config/regions_endpoints.properties"
    ));
    let urls: Vec<_> = w
        .load()
        .unwrap()
        .regions
        .into_iter()
        .map(|r| r.url)
        .collect();
    assert_eq!(
        urls,
        [
            "https://kms.r1.aliyuncs.com",
            "https://kms-vpc.r2.aliyuncs.com",
            "https://kms-vpc.r3.aliyuncs.com",
            "https://kms.r4.aliyuncs.com",
            "https://kms.example.com:8443",
            "http://127.0.0.1:8080",
            "http://[::1]:9",
            "http://localhost",
            "https://kms.x.com",
        ]
    );
}

#[test]
fn plain_http_only_for_loopback() {
    let w = World::new();
    let e = w.err(&format!(
        "{}cache_client_region_id=[{{\"regionId\":\"r\",\"endpoint\":\"http://10.0.0.5:80\"}}]\n",
        ak(SENTINEL)
    ));
    assert!(
        e.contains(":5: cache_client_region_id[0].endpoint: HTTPS is required for 10.0.0.5"),
        "{e}"
    );
    let e = w.err(&format!(
        "{}credentials_sts_endpoint=http://sts.example.com\n",
        ak(SENTINEL)
    ));
    assert!(
        e.contains("credentials_sts_endpoint: HTTPS is required"),
        "{e}"
    );
    w.plugin(&format!(
        "{}credentials_sts_endpoint=http://127.0.0.2:7/\n",
        ak(SENTINEL)
    ));
    assert_eq!(w.load().unwrap().sts_url, "http://127.0.0.2:7");
    // The host checked is the host connected to: user info cannot smuggle a remote host in.
    for ep in [
        "http://127.0.0.1:80@evil.example",
        "http://[::1]@evil.example/",
    ] {
        let e = w.err(&format!("{}credentials_sts_endpoint={ep}\n", ak(SENTINEL)));
        assert!(
            e.contains("credentials_sts_endpoint: write only scheme, host and port"),
            "{e}"
        );
    }
}

#[test]
fn bad_region_json_is_one_line_with_key_and_example() {
    let w = World::new();
    let e = w.err(&format!(
        "{}cache_client_region_id=cn-hangzhou\n",
        ak(SENTINEL).replace(REGION, "")
    ));
    assert_eq!(
        e,
        format!(
            "{}:4: cache_client_region_id: not valid JSON (expected value at line 1 column 1); write e.g. [{{\"regionId\":\"cn-hangzhou\"}}]",
            w.cwd.join(PLUGIN_FILE).display()
        )
    );
    let e = w.err(&format!(
        "{}cache_client_region_id={{\"regionId\":\"cn-hangzhou\"}}\n",
        ak(SENTINEL).replace(REGION, "")
    ));
    assert!(
        e.ends_with(
            "cache_client_region_id: not a JSON array; write e.g. [{\"regionId\":\"cn-hangzhou\"}]"
        ),
        "{e}"
    );
    let e = w.err(&format!(
        "{}cache_client_region_id=[{{\"vpc\":\"maybe\",\"regionId\":\"x\"}}]\n",
        ak(SENTINEL).replace(REGION, "")
    ));
    assert!(
        e.ends_with("cache_client_region_id[0].vpc: expected true or false"),
        "{e}"
    );
}

#[test]
fn missing_region_and_missing_credential() {
    let e = World::new().err(&ak(SENTINEL).replace(REGION, ""));
    assert!(e.starts_with("cache_client_region_id is missing: add e.g. cache_client_region_id=[{\"regionId\":\"cn-hangzhou\"}]"), "{e}");
    let e = World::new().err(REGION);
    assert!(e.starts_with("credentials_type is missing"), "{e}");
}

// ---- layering -----------------------------------------------------------------------------------

#[test]
fn later_layer_replaces_credential_only_with_a_type_and_regions_append() {
    let mut w = World::new();
    w.plugin(&ak("file-secret"));
    // secretsmanager.properties without credentials_type must not wipe the plug-in credential.
    w.write(CLIENT_FILE, "cache_client_region_id=[{\"regionId\":\"cn-shanghai\"}]\ncredentials_access_key_id=ignored\n");
    let c = w.load().unwrap();
    assert!(
        matches!(&c.credentials, Some(Credentials::AccessKey { id, .. }) if id == "LTAI5tTESTKEY0001")
    );
    let ids: Vec<_> = c.regions.iter().map(|r| r.region_id.as_str()).collect();
    assert_eq!(ids, ["cn-hangzhou", "cn-shanghai"]);
    assert_eq!(
        c.files,
        vec![w.cwd.join(PLUGIN_FILE), w.cwd.join(CLIENT_FILE)]
    );
    assert!(c.warnings.iter().any(|m| m.contains(
        "credentials_access_key_id: ignored because this file sets no credentials_type"
    )));

    // The environment defines a type: it wins, and its regions come last.
    w.set("credentials_type", "ecs_ram_role");
    w.set("credentials_role_name", "FromEnv");
    w.set(
        "cache_client_region_id",
        "[{\"regionId\":\"ap-southeast-1\"}]",
    );
    let c = w.load().unwrap();
    assert!(
        matches!(&c.credentials, Some(Credentials::EcsRamRole { role_name }) if role_name == "FromEnv")
    );
    assert_eq!(c.regions.len(), 3);
    assert_eq!(c.regions[2].region_id, "ap-southeast-1");
    assert_eq!(c.sts_url, "https://sts.cn-hangzhou.aliyuncs.com");
    assert!(c
        .warnings
        .iter()
        .any(|m| m
            .starts_with("environment variable credentials_type: replaces the credential from")));
}

#[test]
fn environment_alone_is_enough_and_its_errors_name_the_variable() {
    let mut w = World::new();
    w.set("credentials_type", "ak");
    w.set("credentials_access_key_id", "LTAI5tTESTKEY0001");
    w.set("cache_client_region_id", "[{\"regionId\":\"cn-beijing\"}]");
    let e = w.load().unwrap_err().to_string();
    assert_eq!(
        e,
        "environment variable credentials_type=ak: credentials_access_secret is missing; set the environment variable credentials_access_secret=<AccessKeySecret>"
    );
    w.set("credentials_access_secret", SENTINEL);
    let c = w.load().unwrap();
    assert!(c.files.is_empty());
    assert_eq!(c.regions[0].url, "https://kms.cn-beijing.aliyuncs.com");
}

#[test]
fn user_config_dir_is_searched_after_the_working_directory() {
    let w = World::new();
    let user = w.config_dir.join("ramsecret").join(PLUGIN_FILE);
    fs::create_dir_all(user.parent().unwrap()).unwrap();
    fs::write(&user, ak("user")).unwrap();
    assert_eq!(w.load().unwrap().files, vec![user.clone()]);
    w.plugin(&ak("cwd"));
    assert_eq!(w.load().unwrap().files, vec![w.cwd.join(PLUGIN_FILE)]);
}

#[test]
fn nothing_found_lists_every_place_searched() {
    let w = World::new();
    let e = w.load().unwrap_err().to_string();
    for p in [
        w.cwd.join(PLUGIN_FILE),
        w.config_dir.join("ramsecret").join(PLUGIN_FILE),
        w.cwd.join(CLIENT_FILE),
    ] {
        assert!(e.contains(&p.display().to_string()), "{e}");
    }
    assert!(e.contains("environment variables credentials_type/cache_client_region_id/cache_client_dkms_config_info"), "{e}");
    assert!(!e.contains('\n'));
}

#[test]
fn explicit_file_must_exist() {
    let w = World::new();
    w.plugin(&ak("x"));
    let e = w
        .load_explicit(Some(Path::new("nope.properties")))
        .unwrap_err()
        .to_string();
    assert!(
        e.starts_with(&format!(
            "{}: config file not found",
            w.cwd.join("nope.properties").display()
        )),
        "{e}"
    );
}

// ---- Windows paths ------------------------------------------------------------------------------

#[test]
fn windows_single_backslash_paths_get_the_hint() {
    let w = World::new();
    // Mangled inside JSON: `\f` turns into a form feed, which serde_json rejects.
    let e = w.err(include_str!(
        "../../tests/fixtures/config/windows_single_backslash.properties"
    ));
    assert!(
        e.contains("cache_client_dkms_config_info: not valid JSON (control character"),
        "{e}"
    );
    assert!(e.contains(r"write every backslash as four (C:\\\\dir\\\\file) or use forward slashes (C:/dir/file)"), "{e}");

    // Plain value: `C:\keys\file.json` -> `C:keys` + form feed + `ile.json`.
    let e = w.err(&format!(
        "{REGION}credentials_type=client_key\nclient_key_private_key_path=C:\\keys\\file.json\n"
    ));
    assert!(e.contains(":3: client_key_private_key_path: path contains control characters or lost its separators"), "{e}");
    assert!(e.contains(r"double every backslash (C:\\dir\\file)"), "{e}");

    // Doubled once inside JSON: `\\d` is an invalid JSON escape.
    let e = w.err("cache_client_dkms_config_info=[{\"regionId\":\"r\",\"endpoint\":\"e\",\"clientKeyFile\":\"C:\\\\dir\\\\key.json\"}]\n");
    assert!(
        e.contains("not valid JSON (invalid escape") && e.contains("as four"),
        "{e}"
    );

    // Written correctly (four backslashes, or forward slashes): accepted.
    w.plugin("cache_client_dkms_config_info=[{\"regionId\":\"r\",\"endpoint\":\"e\",\"clientKeyFile\":\"C:\\\\\\\\dir\\\\\\\\key.json\",\"caFilePath\":\"C:/ca.pem\"}]\n");
    let c = w.load().unwrap();
    assert!(c.instances[0]
        .client_key
        .path
        .to_string_lossy()
        .ends_with(r"C:\dir\key.json"));
}

// ---- KMS instances ------------------------------------------------------------------------------

#[test]
fn instances_alone_are_enough_and_fields_parse() {
    let w = World::new();
    w.plugin(
        "client_key_private_key_path=global.json\nclient_key_password_from_env_variable=GLOBAL_PW\nclient_key_password_from_file_path=global_pw.txt\n\
         cache_client_dkms_config_info=[{\"regionId\":\"cn-hangzhou\",\"endpoint\":\"https://kst-1.cryptoservice.kms.aliyuncs.com/\",\
         \"clientKeyFile\":\"ck.json\",\"passwordFromEnvVariable\":\"ENTRY_PW\",\"passwordFromFilePath\":\"entry_pw.txt\",\
         \"caFilePath\":\"ca.pem\",\"protocol\":\"https\",\"readTimeout\":5000},\
         {\"regionId\":\"cn-shanghai\",\"endpoint\":\"kst-2:8443\",\"ignoreSslCerts\":\"True\"}]\n",
    );
    let c = w.load().unwrap();
    assert!(c.credentials.is_none() && c.regions.is_empty());
    assert_eq!(c.sts_url, "https://sts.aliyuncs.com");
    let [a, b] = &c.instances[..] else { panic!() };
    assert_eq!(
        (a.index, a.region_id.as_str(), a.endpoint.as_str()),
        (0, "cn-hangzhou", "kst-1.cryptoservice.kms.aliyuncs.com")
    );
    assert_eq!(
        a.origin,
        format!(
            "{}:4: cache_client_dkms_config_info[0]",
            w.cwd.join(PLUGIN_FILE).display()
        )
    );
    assert_eq!(
        a.client_key.key,
        "cache_client_dkms_config_info[0].clientKeyFile"
    );
    assert_eq!(a.client_key.path, w.cwd.join("ck.json"));
    assert_eq!(
        (a.ignore_ssl_certs, a.ca_file.clone()),
        (false, Some(w.cwd.join("ca.pem")))
    );
    let keys: Vec<_> = a
        .client_key
        .password
        .iter()
        .map(|s| match s {
            PasswordSource::Env { key, var } => format!("env {key} {var}"),
            PasswordSource::File { key, path } => {
                format!("file {key} {}", path.file_name().unwrap().to_string_lossy())
            }
        })
        .collect();
    assert_eq!(
        keys,
        [
            "env cache_client_dkms_config_info[0].passwordFromEnvVariable ENTRY_PW",
            "file cache_client_dkms_config_info[0].passwordFromFilePath entry_pw.txt",
            "env client_key_password_from_env_variable GLOBAL_PW",
            "file client_key_password_from_file_path global_pw.txt",
            "env client_key_password (fallback) client_key_password",
        ]
    );
    // Second entry: global ClientKey path, no CA needed with ignoreSslCerts "True".
    assert_eq!(
        (b.endpoint.as_str(), b.ignore_ssl_certs, b.ca_file.is_none()),
        ("kst-2:8443", true, true)
    );
    assert_eq!(b.client_key.key, "client_key_private_key_path");
    assert_eq!(b.client_key.path, w.cwd.join("global.json"));
    assert!(c.warnings.is_empty(), "{:?}", c.warnings);
}

#[test]
fn instance_validation_errors_name_the_entry_and_key() {
    let w = World::new();
    let e = w.err("cache_client_dkms_config_info=[{\"regionId\":\"r\",\"endpoint\":\"e\",\"clientKeyFile\":\"k\",\"ignoreSslCerts\":true},{\"regionId\":\"r\",\"clientKeyFile\":\"k\"}]\n");
    assert!(
        e.contains(":1: cache_client_dkms_config_info[1].endpoint: missing; add \"endpoint\":"),
        "{e}"
    );
    let e = w.err("cache_client_dkms_config_info=[{\"regionId\":\"r\",\"endpoint\":\"e\",\"clientKeyFile\":\"k\",\"ignoreSslCerts\":\"false\"}]\n");
    assert!(
        e.contains("cache_client_dkms_config_info[0].caFilePath: missing; add \"caFilePath\""),
        "{e}"
    );
    assert!(e.contains("\"ignoreSslCerts\":true"), "{e}");
    let e = w.err("cache_client_dkms_config_info=[{\"regionId\":\"r\",\"endpoint\":\"e\",\"caFilePath\":\"ca\"}]\n");
    assert!(
        e.contains("cache_client_dkms_config_info[0].clientKeyFile: missing"),
        "{e}"
    );
    let e = w.err("cache_client_dkms_config_info=[{\"regionId\":7,\"endpoint\":\"e\"}]\n");
    assert!(
        e.contains("cache_client_dkms_config_info[0].regionId: expected a JSON string"),
        "{e}"
    );
    let e = w.err("cache_client_dkms_config_info=[{\"regionId\":\"r\",\"endpoint\":\"http://kst.x\",\"clientKeyFile\":\"k\",\"caFilePath\":\"c\"}]\n");
    assert!(
        e.contains("[0].endpoint: expected the instance host"),
        "{e}"
    );
}

#[test]
fn password_from_file_path_name_reads_a_property_or_env_var() {
    let mut w = World::new();
    w.plugin(
        "my_pw_path=secrets/pw.txt\ncache_client_dkms_config_info=[{\"regionId\":\"r\",\"endpoint\":\"e\",\"clientKeyFile\":\"k\",\
         \"ignoreSslCerts\":true,\"passwordFromFilePathName\":\"my_pw_path\"}]\n",
    );
    let c = w.load().unwrap();
    assert!(
        c.warnings.is_empty(),
        "referenced key is not unknown: {:?}",
        c.warnings
    );
    assert_eq!(
        c.instances[0].client_key.password[0],
        PasswordSource::File {
            key: "cache_client_dkms_config_info[0].passwordFromFilePathName (my_pw_path)".into(),
            path: w.cwd.join("secrets/pw.txt")
        }
    );
    w.plugin("cache_client_dkms_config_info=[{\"regionId\":\"r\",\"endpoint\":\"e\",\"clientKeyFile\":\"k\",\"ignoreSslCerts\":true,\"passwordFromFilePathName\":\"PW_PATH\"}]\n");
    let e = w.load().unwrap_err().to_string();
    assert!(e.contains("[0].passwordFromFilePathName: names \"PW_PATH\", but no property or environment variable PW_PATH is set"), "{e}");
    w.set("PW_PATH", "/run/pw");
    assert!(
        matches!(&w.load().unwrap().instances[0].client_key.password[0], PasswordSource::File { path, .. } if path == Path::new("/run/pw"))
    );
}

// ---- password resolution ------------------------------------------------------------------------

#[test]
fn resolve_password_tries_sources_in_order() {
    let tmp = tempfile::tempdir().unwrap();
    let pw_file = tmp.path().join("pw.txt");
    fs::write(&pw_file, format!("  {SENTINEL}\r\n")).unwrap();
    let r = ClientKeyRef {
        key: "client_key_private_key_path".into(),
        path: tmp.path().join("ck.json"),
        password: vec![
            PasswordSource::Env {
                key: "client_key_password_from_env_variable".into(),
                var: "MY_PW".into(),
            },
            PasswordSource::File {
                key: "client_key_password_from_file_path".into(),
                path: pw_file.clone(),
            },
            fallback_password_source(),
        ],
    };
    let env = |vars: &'static [(&'static str, &'static str)]| {
        move |k: &str| {
            vars.iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        }
    };
    assert_eq!(
        resolve_password(
            &r,
            &env(&[("MY_PW", "from-env"), ("client_key_password", "fb")])
        )
        .unwrap()
        .expose(),
        "from-env"
    );
    assert_eq!(
        resolve_password(&r, &env(&[("MY_PW", ""), ("client_key_password", "fb")]))
            .unwrap()
            .expose(),
        SENTINEL
    );

    fs::write(&pw_file, "\n").unwrap();
    assert_eq!(
        resolve_password(&r, &env(&[("client_key_password", "fb")]))
            .unwrap()
            .expose(),
        "fb"
    );
    let e = resolve_password(&r, &env(&[])).unwrap_err().to_string();
    assert!(e.starts_with("no ClientKey password for ") && e.ends_with("set client_key_password_from_env_variable, client_key_password_from_file_path or the client_key_password environment variable"), "{e}");

    fs::remove_file(&pw_file).unwrap();
    let e = resolve_password(&r, &env(&[("client_key_password", SENTINEL)]))
        .unwrap_err()
        .to_string();
    assert!(
        e.starts_with(&format!(
            "client_key_password_from_file_path: cannot read the ClientKey password file {}",
            pw_file.display()
        )),
        "{e}"
    );
    assert!(!e.contains(SENTINEL));
}

// ---- secrets stay secret ------------------------------------------------------------------------

#[test]
fn secrets_never_appear_in_debug_or_errors() {
    let mut w = World::new();
    w.plugin(&format!(
        "credentials_type=sts\ncredentials_access_key_id=LTAI5tTESTKEY0001\ncredentials_access_secret={SENTINEL}\n\
         credentials_role_arn=acs:ram::1:role/r\ncredentials_role_session_name=s\n{REGION}credentials_acess_secret={SENTINEL}\n"
    ));
    w.set("client_key_password", SENTINEL);
    let c = w.load().unwrap();
    let dbg = format!("{c:?}");
    assert!(!dbg.contains(SENTINEL), "{dbg}");
    assert!(
        !dbg.contains("LTAI5tTESTKEY0001") && dbg.contains("LTAI****0001"),
        "{dbg}"
    );
    assert!(!c.warnings.concat().contains(SENTINEL));

    // Failing configs that carry the secret: the error text never echoes it.
    for text in [
        format!("credentials_type=ak\ncredentials_access_secret={SENTINEL}\n{REGION}"),
        format!("credentials_type=bogus\ncredentials_access_secret={SENTINEL}\n{REGION}"),
        format!("credentials_type=ak\ncredentials_access_key_id=id\ncredentials_access_secret={SENTINEL}\ncache_client_region_id=[{SENTINEL}]\n"),
        format!("credentials_type=ak\ncredentials_access_key_id=id\ncredentials_access_secret={SENTINEL}\\u12\n{REGION}"),
    ] {
        w.err(&text);
    }
}

#[test]
fn partial_config_without_plugin_file_says_where_it_looked() {
    let mut w = World::new();
    w.set("cache_client_region_id", "[{\"regionId\":\"cn-beijing\"}]");
    let e = w.load().unwrap_err().to_string();
    assert!(e.starts_with("credentials_type is missing"), "{e}");
    assert!(
        e.contains(&format!(
            "no {PLUGIN_FILE} found; searched {}",
            w.cwd.join(PLUGIN_FILE).display()
        )),
        "{e}"
    );
}

#[test]
fn windows_hint_only_when_backslashes_or_control_characters_explain_the_json_error() {
    let w = World::new();
    let e = w.err(&format!(
        "{}cache_client_region_id=[{{\"regionId\":\"a\\\\\"b\"}},]\n",
        ak("x").replace(REGION, "")
    ));
    assert!(
        e.contains("not valid JSON (trailing comma") && !e.contains("Windows"),
        "{e}"
    );
}

#[test]
fn a_stray_secret_line_is_not_echoed_in_warnings() {
    let w = World::new();
    w.plugin(&format!(
        "{}Stray+Secret/Value==\nsecret_namez=x\n",
        ak(SENTINEL)
    ));
    let warnings = w.load().unwrap().warnings.join("\n");
    assert!(!warnings.contains("Stray+Secret"), "{warnings}");
    assert!(
        warnings.contains("not a plug-in key=value line"),
        "{warnings}"
    );
    assert!(warnings.contains("secret_namez: unknown key"), "{warnings}");
}
