//! Shared gateway (KMS OpenAPI, RPC V1) and STS on the plain listener: checks a request the way
//! the service does (common parameters, timestamp window, nonce, key, STS token, signature via
//! `kms::sign`), then answers `GetSecretValue`, `AssumeRole` or `GetCallerIdentity` in JSON.

use std::collections::BTreeMap;

use serde_json::json;

use super::state::{
    caller_arn, request_id, role_arn_ok, Emulator, Principal, Secret, Version, CURRENT,
};
use super::Reply;
use crate::kms::sign;
use crate::secret::{format_timestamp, parse_timestamp, SecretString};

pub const KMS_VERSION: &str = "2016-01-20";
pub const STS_VERSION: &str = "2015-04-01";
const JSON: &str = "application/json;charset=utf-8";
const REQUIRED: [&str; 8] = [
    "Action",
    "Version",
    "AccessKeyId",
    "SignatureMethod",
    "SignatureVersion",
    "SignatureNonce",
    "Timestamp",
    "Signature",
];

/// Merges the query string and a form-encoded body into one parameter map.
pub fn parse_params(query: Option<&str>, body: &[u8]) -> Result<BTreeMap<String, String>, Reply> {
    let mut params = BTreeMap::new();
    let body = std::str::from_utf8(body)
        .map_err(|_| invalid("The request body is not form-encoded UTF-8."))?;
    for part in query
        .unwrap_or("")
        .split('&')
        .chain(body.trim().split('&'))
        .filter(|p| !p.is_empty())
    {
        let (k, v) = part.split_once('=').unwrap_or((part, ""));
        match (sign::percent_decode(k), sign::percent_decode(v)) {
            (Some(k), Some(v)) => params.insert(k, v),
            _ => return Err(invalid("A parameter is not correctly percent-encoded.")),
        };
    }
    Ok(params)
}

/// Which fault target and counter a request belongs to.
pub fn route(action: &str) -> (&'static str, Option<&'static str>) {
    match action {
        "GetSecretValue" => ("kms", Some("GetSecretValue")),
        "AssumeRole" => ("sts", Some("AssumeRole")),
        "GetCallerIdentity" => ("sts", Some("GetCallerIdentity")),
        _ => ("kms", None),
    }
}

pub fn handle(
    emu: &mut Emulator,
    method: &str,
    params: &BTreeMap<String, String>,
    now: i64,
) -> Reply {
    match authenticate(emu, method, params, now) {
        Ok(principal) => dispatch(emu, &principal, params, now),
        Err(reply) => reply,
    }
}

fn authenticate(
    emu: &mut Emulator,
    method: &str,
    params: &BTreeMap<String, String>,
    now: i64,
) -> Result<Principal, Reply> {
    if let Some(missing) = REQUIRED
        .iter()
        .find(|p| params.get(**p).is_none_or(|v| v.is_empty()))
    {
        return Err(missing_parameter(missing));
    }
    let p = |k: &str| params.get(k).map(String::as_str).unwrap_or("");
    let (action, version) = (p("Action"), p("Version"));
    let expected = match action {
        "GetSecretValue" => KMS_VERSION,
        "AssumeRole" | "GetCallerIdentity" => STS_VERSION,
        _ => {
            let msg = format!(
                "Specified api is not found, please check your url and method. Action: {action}"
            );
            return Err(error(400, "InvalidAction.NotFound", &msg));
        }
    };
    if version != expected {
        return Err(error(
            400,
            "InvalidVersion",
            "Specified parameter Version is not valid.",
        ));
    }
    if !matches!(
        params.get("Format").map(String::as_str),
        None | Some("JSON" | "json" | "XML" | "xml")
    ) {
        return Err(invalid("The specified parameter Format is not valid."));
    }
    if p("SignatureVersion") != "1.0" {
        return Err(invalid(
            "The specified parameter SignatureVersion is not valid.",
        ));
    }
    let ts = p("Timestamp");
    // Strict `yyyy-MM-ddTHH:mm:ssZ`: parse leniently, then demand the canonical text back.
    let Some(t) = parse_timestamp(ts).filter(|t| format_timestamp(*t) == ts) else {
        return Err(error(400, "IllegalTimestamp", "The input parameter \"Timestamp\" that is mandatory for processing this request is not supplied or is not in the format yyyy-MM-ddTHH:mm:ssZ."));
    };
    if (now - t).abs() > 900 {
        return Err(error(
            400,
            "InvalidTimeStamp.Expired",
            "Specified time stamp or date value is expired.",
        ));
    }
    let rsa = match (p("SignatureMethod"), p("SignatureType")) {
        ("HMAC-SHA1", "") => false,
        ("SHA256withRSA", "PRIVATEKEY") => true,
        _ => {
            return Err(error(
                400,
                "IncompleteSignature",
                "The request signature does not conform to Alibaba Cloud standards.",
            ))
        }
    };
    let key_id = p("AccessKeyId");
    let Some(principal) = emu.principal(key_id) else {
        return Err(error(
            404,
            "InvalidAccessKeyId.NotFound",
            "Specified access key is not found.",
        ));
    };
    if let Principal::Sts(s) = &principal {
        let token = p("SecurityToken");
        if !token.starts_with("CAIS") {
            return Err(error(
                400,
                "InvalidSecurityToken.Malformed",
                "Specified SecurityToken is malformed.",
            ));
        }
        if token != s.security_token {
            return Err(error(
                400,
                "InvalidSecurityToken.MismatchWithAccessKey",
                "Specified SecurityToken mismatch with the AccessKey.",
            ));
        }
        if s.expiration <= now {
            return Err(error(
                400,
                "InvalidSecurityToken.Expired",
                "Specified SecurityToken is expired.",
            ));
        }
    }
    let string_to_sign = sign::rpc_string_to_sign(method, params);
    let signature = p("Signature");
    let ok = match (&principal, rsa) {
        (Principal::ClientKey, true) => emu.client_keys.get(key_id).is_some_and(|spki| {
            use rsa::pkcs8::DecodePublicKey;
            rsa::PublicKey::from_public_key_der(spki)
                .is_ok_and(|k| sign::rsa_sha256_verify(&k, &string_to_sign, signature))
        }),
        (Principal::User { secret, .. }, false) => verify_hmac(secret, &string_to_sign, signature),
        (Principal::Sts(s), false) => verify_hmac(&s.access_key_secret, &string_to_sign, signature),
        _ => false,
    };
    if !ok {
        let msg = format!("Specified signature is not matched with our calculation. server string to sign is:{string_to_sign}");
        return Err(error(400, "SignatureDoesNotMatch", &msg));
    }
    if !emu.use_nonce(p("SignatureNonce"), t, now) {
        return Err(error(
            400,
            "SignatureNonceUsed",
            "Specified signature nonce was used already.",
        ));
    }
    Ok(principal)
}

fn verify_hmac(secret: &str, string_to_sign: &str, signature: &str) -> bool {
    let expected = sign::hmac_sha1_signature(&SecretString::new(secret), string_to_sign);
    // Not constant-time: this is a loopback emulator, not a service.
    expected == signature
}

fn dispatch(
    emu: &mut Emulator,
    principal: &Principal,
    params: &BTreeMap<String, String>,
    now: i64,
) -> Reply {
    let p = |k: &str| params.get(k).map(String::as_str).unwrap_or("");
    if matches!(principal, Principal::ClientKey) && p("Action") != "GetSecretValue" {
        return error(
            403,
            "Forbidden.NoPermission",
            "This operation is forbidden by permission system.",
        );
    }
    match p("Action") {
        "GetSecretValue" => get_secret_value(emu, params),
        "AssumeRole" => assume_role(emu, params, now),
        _ => {
            let (user_id, arn, kind) = caller_arn(principal);
            let mut body = json!({"RequestId": request_id(), "AccountId": super::ACCOUNT_ID, "UserId": user_id, "Arn": arn, "IdentityType": kind});
            if let Principal::Sts(s) = principal {
                body["RoleId"] = json!(super::state::numeric_id('3', &s.role_arn));
            }
            ok(body)
        }
    }
}

/// Finds the version a GetSecretValue asks for (shared by both gateways).
pub fn find_version<'a>(
    emu: &'a Emulator,
    name: &str,
    stage: &str,
    version_id: &str,
) -> Option<(&'a Secret, &'a Version)> {
    // `acs:kms:{region}:{account}:secret/{name}` addresses the same secret.
    let name = name
        .strip_prefix("acs:kms:")
        .and_then(|r| r.split_once(":secret/"))
        .map_or(name, |(_, n)| n);
    let secret = emu.store.secrets.get(name)?;
    let version = match (stage, version_id) {
        ("", "") => secret.version_with_stage(CURRENT),
        (stage, "") => secret.version_with_stage(stage),
        (stage, id) => secret.versions.iter().find(|v| {
            v.version_id == id && (stage.is_empty() || v.stages.iter().any(|s| s == stage))
        }),
    }?;
    Some((secret, version))
}

fn get_secret_value(emu: &Emulator, params: &BTreeMap<String, String>) -> Reply {
    let p = |k: &str| params.get(k).map(String::as_str).unwrap_or("");
    if p("SecretName").is_empty() {
        return missing_parameter("SecretName");
    }
    let Some((secret, version)) =
        find_version(emu, p("SecretName"), p("VersionStage"), p("VersionId"))
    else {
        return error(
            404,
            "Forbidden.ResourceNotFound",
            "The resource is not found.",
        );
    };
    let mut body = json!({
        "RequestId": request_id(),
        "SecretName": secret.name,
        "SecretType": secret.secret_type,
        "SecretData": version.secret_data,
        "SecretDataType": "text",
        "VersionId": version.version_id,
        "VersionStages": {"VersionStage": version.stages},
        "CreateTime": format_timestamp(version.create_time),
        "AutomaticRotation": secret.automatic_rotation,
    });
    for (field, value) in [
        ("NextRotationDate", &secret.next_rotation_date),
        ("LastRotationDate", &secret.last_rotation_date),
        ("RotationInterval", &secret.rotation_interval),
    ] {
        if let Some(v) = value {
            body[field] = json!(v);
        }
    }
    if p("FetchExtendedConfig").eq_ignore_ascii_case("true") {
        if let Some(ext) = &secret.extended_config {
            body["ExtendedConfig"] = json!(ext);
        }
    }
    ok(body)
}

fn assume_role(emu: &mut Emulator, params: &BTreeMap<String, String>, now: i64) -> Reply {
    let p = |k: &str| params.get(k).map(String::as_str).unwrap_or("");
    for required in ["RoleArn", "RoleSessionName"] {
        if p(required).is_empty() {
            return missing_parameter(required);
        }
    }
    let arn = p("RoleArn");
    if !role_arn_ok(arn) {
        return error(
            400,
            "InvalidParameter.RoleArn",
            "The parameter RoleArn is wrong.",
        );
    }
    let session = p("RoleSessionName");
    if !(2..=64).contains(&session.len())
        || !session
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._@-".contains(&b))
    {
        return error(
            400,
            "InvalidParameter.RoleSessionName",
            "The parameter RoleSessionName is wrong.",
        );
    }
    let duration = match params.get("DurationSeconds").map(|d| d.parse::<i64>()) {
        None => 3600,
        Some(Ok(d)) if (900..=43200).contains(&d) => d,
        _ => {
            return error(
                400,
                "InvalidParameter.DurationSeconds",
                "The Min/Max value of DurationSeconds is 15min/12hr.",
            )
        }
    };
    if params
        .get("Policy")
        .is_some_and(|pol| serde_json::from_str::<serde_json::Value>(pol).is_err())
    {
        return error(
            400,
            "InvalidParameter.PolicyGrammar",
            "The parameter Policy has not a valid grammar.",
        );
    }
    let s = emu.issue_sts(arn, session, duration, now);
    let role = arn.rsplit('/').next().unwrap_or_default();
    ok(json!({
        "RequestId": request_id(),
        "AssumedRoleUser": {
            "Arn": format!("acs:ram::{}:assumed-role/{role}/{session}", super::ACCOUNT_ID),
            "AssumedRoleId": format!("{}:{session}", super::state::numeric_id('3', arn)),
        },
        "Credentials": {
            "AccessKeyId": s.access_key_id,
            "AccessKeySecret": s.access_key_secret,
            "SecurityToken": s.security_token,
            "Expiration": format_timestamp(s.expiration),
        },
    }))
}

fn ok(body: serde_json::Value) -> Reply {
    Reply {
        status: 200,
        content_type: JSON,
        body: body.to_string().into_bytes(),
    }
}

/// The POP error body every shared-gateway error uses.
pub fn error(status: u16, code: &str, message: &str) -> Reply {
    let rid = request_id();
    let body = json!({
        "RequestId": rid,
        "HostId": "kms.cn-hangzhou.aliyuncs.com",
        "Code": code,
        "Message": message,
        "Recommend": format!("https://api.aliyun.com/troubleshoot?q={code}&product=Kms&requestId={rid}"),
    });
    Reply {
        status,
        content_type: JSON,
        body: body.to_string().into_bytes(),
    }
}

fn missing_parameter(name: &str) -> Reply {
    error(400, "MissingParameter", &format!("The input parameter \"{name}\" that is mandatory for processing this request is not supplied."))
}

fn invalid(message: &str) -> Reply {
    error(400, "InvalidParameter", message)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::emulator::state::{NewSecret, Store};
    use crate::emulator::{CALLER_AK_ID, CALLER_AK_SECRET, CLIENT_KEY_ID, DEMO_SECRET};

    pub(crate) const NOW: i64 = 1_704_164_645;
    pub(crate) const CLIENT_KEY_PEM: &str =
        include_str!("../../tests/fixtures/dkms/clientkey/clientkey_private_pkcs8.pem");

    pub(crate) fn emu() -> Emulator {
        let mut e = Emulator::new(Store::default());
        e.create_secret(
            NewSecret {
                name: DEMO_SECRET.into(),
                ..Default::default()
            },
            NOW - 60,
        );
        e
    }

    /// A signed GetSecretValue as the legacy SDK sends it.
    pub(crate) fn signed(
        key_id: &str,
        secret: &str,
        extra: &[(&str, &str)],
    ) -> BTreeMap<String, String> {
        let mut p: BTreeMap<String, String> = [
            ("AccessKeyId", key_id),
            ("Action", "GetSecretValue"),
            ("Format", "JSON"),
            ("SecretName", DEMO_SECRET),
            ("SignatureMethod", "HMAC-SHA1"),
            ("SignatureVersion", "1.0"),
            ("Timestamp", "2024-01-02T03:04:05Z"),
            ("Version", KMS_VERSION),
        ]
        .into_iter()
        .chain(extra.iter().copied())
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        p.insert("SignatureNonce".into(), sign::new_nonce());
        let sig = sign::hmac_sha1_signature(
            &SecretString::new(secret),
            &sign::rpc_string_to_sign("POST", &p),
        );
        p.insert("Signature".into(), sig);
        p
    }

    pub(crate) fn code(r: &Reply) -> String {
        let v: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
        v["Code"].as_str().unwrap_or("").to_string()
    }

    fn json(r: &Reply) -> serde_json::Value {
        serde_json::from_slice(&r.body).unwrap()
    }

    #[test]
    fn hmac_request_is_accepted_and_tampering_is_detected() {
        let mut e = emu();
        let p = signed(
            CALLER_AK_ID,
            CALLER_AK_SECRET,
            &[("FetchExtendedConfig", "true")],
        );
        let r = handle(&mut e, "POST", &p, NOW);
        assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
        let v = json(&r);
        assert_eq!(v["VersionId"], "v1");
        assert_eq!(v["VersionStages"]["VersionStage"][0], "ACSCurrent");
        assert_eq!(v["RotationInterval"], "604800s");
        assert!(v["ExtendedConfig"]
            .as_str()
            .unwrap()
            .contains("RamUserAccessKey"));
        let data: serde_json::Value =
            serde_json::from_str(v["SecretData"].as_str().unwrap()).unwrap();
        assert!(data["AccessKeyId"].as_str().unwrap().starts_with("LTAI5t"));

        let mut tampered = signed(CALLER_AK_ID, CALLER_AK_SECRET, &[]);
        tampered.insert("SecretName".into(), "other".into());
        let r = handle(&mut e, "POST", &tampered, NOW);
        assert_eq!(
            (r.status, code(&r).as_str()),
            (400, "SignatureDoesNotMatch")
        );
        let msg = json(&r)["Message"].as_str().unwrap().to_string();
        assert!(
            msg.ends_with(&sign::rpc_string_to_sign("POST", &tampered)),
            "{msg}"
        );
        // Same params, other HTTP method: the method is part of the string to sign.
        let r = handle(
            &mut e,
            "GET",
            &signed(CALLER_AK_ID, CALLER_AK_SECRET, &[]),
            NOW,
        );
        assert_eq!(code(&r), "SignatureDoesNotMatch");
    }

    #[test]
    fn nonce_reuse_and_stale_or_bad_timestamps_are_rejected() {
        let mut e = emu();
        let p = signed(CALLER_AK_ID, CALLER_AK_SECRET, &[]);
        assert_eq!(handle(&mut e, "POST", &p, NOW).status, 200);
        let r = handle(&mut e, "POST", &p, NOW);
        assert_eq!((r.status, code(&r).as_str()), (400, "SignatureNonceUsed"));
        let r = handle(
            &mut e,
            "POST",
            &signed(CALLER_AK_ID, CALLER_AK_SECRET, &[]),
            NOW + 901,
        );
        assert_eq!(code(&r), "InvalidTimeStamp.Expired");
        let r = handle(
            &mut e,
            "POST",
            &signed(
                CALLER_AK_ID,
                CALLER_AK_SECRET,
                &[("Timestamp", "2024-01-02 03:04:05")],
            ),
            NOW,
        );
        assert_eq!(code(&r), "IllegalTimestamp");
    }

    #[test]
    fn common_parameter_and_key_errors() {
        let mut e = emu();
        let mut p = signed(CALLER_AK_ID, CALLER_AK_SECRET, &[]);
        p.remove("SignatureNonce");
        let r = handle(&mut e, "POST", &p, NOW);
        assert_eq!(code(&r), "MissingParameter");
        assert!(json(&r)["Message"]
            .as_str()
            .unwrap()
            .contains("SignatureNonce"));
        let r = handle(&mut e, "POST", &signed("LTAI5tNobody", "x", &[]), NOW);
        assert_eq!(
            (r.status, code(&r).as_str()),
            (404, "InvalidAccessKeyId.NotFound")
        );
        let r = handle(
            &mut e,
            "POST",
            &signed(CALLER_AK_ID, CALLER_AK_SECRET, &[("Action", "Nope")]),
            NOW,
        );
        assert_eq!(code(&r), "InvalidAction.NotFound");
        let r = handle(
            &mut e,
            "POST",
            &signed(CALLER_AK_ID, CALLER_AK_SECRET, &[("SecretName", "missing")]),
            NOW,
        );
        assert_eq!(
            (r.status, code(&r).as_str()),
            (404, "Forbidden.ResourceNotFound")
        );
        let r = handle(
            &mut e,
            "POST",
            &signed(
                CALLER_AK_ID,
                CALLER_AK_SECRET,
                &[("SignatureType", "PRIVATEKEY")],
            ),
            NOW,
        );
        assert_eq!(code(&r), "IncompleteSignature");
    }

    #[test]
    fn clientkey_rsa_signature_is_accepted() {
        use rsa::pkcs8::DecodePrivateKey;
        let key = rsa::PrivateKey::from_pkcs8_pem(CLIENT_KEY_PEM).unwrap();
        let mut e = emu();
        let mut p = signed(
            CLIENT_KEY_ID,
            "",
            &[
                ("SignatureMethod", "SHA256withRSA"),
                ("SignatureType", "PRIVATEKEY"),
                ("RegionId", "cn-hangzhou"),
            ],
        );
        p.remove("Signature");
        p.insert(
            "Signature".into(),
            sign::rsa_sha256_signature(&key, &sign::rpc_string_to_sign("POST", &p)),
        );
        let r = handle(&mut e, "POST", &p, NOW);
        assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
        p.insert("SignatureNonce".into(), sign::new_nonce());
        assert_eq!(
            code(&handle(&mut e, "POST", &p, NOW)),
            "SignatureDoesNotMatch"
        );
    }

    #[test]
    fn assume_role_sts_keys_and_revocation() {
        let mut e = emu();
        let arn = "acs:ram::1234567890123456:role/deployer";
        let p = signed(
            CALLER_AK_ID,
            CALLER_AK_SECRET,
            &[
                ("Action", "AssumeRole"),
                ("Version", STS_VERSION),
                ("RoleArn", arn),
                ("RoleSessionName", "ci-run"),
                ("DurationSeconds", "900"),
            ],
        );
        let r = handle(&mut e, "POST", &p, NOW);
        assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
        let c = json(&r)["Credentials"].clone();
        let (id, secret, token) = (
            c["AccessKeyId"].as_str().unwrap(),
            c["AccessKeySecret"].as_str().unwrap(),
            c["SecurityToken"].as_str().unwrap(),
        );
        assert!(id.starts_with("STS.") && token.starts_with("CAIS"));
        assert_eq!(c["Expiration"], format_timestamp(NOW + 900));

        fn who<'a>(extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
            let mut x = vec![("Action", "GetCallerIdentity"), ("Version", STS_VERSION)];
            x.extend_from_slice(extra);
            x
        }
        let r = handle(
            &mut e,
            "POST",
            &signed(id, secret, &who(&[("SecurityToken", token)])),
            NOW,
        );
        assert_eq!(json(&r)["IdentityType"], "AssumedRoleUser");
        assert_eq!(
            code(&handle(&mut e, "POST", &signed(id, secret, &who(&[])), NOW)),
            "InvalidSecurityToken.Malformed"
        );
        assert_eq!(
            code(&handle(
                &mut e,
                "POST",
                &signed(id, secret, &who(&[("SecurityToken", "CAISx")])),
                NOW
            )),
            "InvalidSecurityToken.MismatchWithAccessKey"
        );
        let late = signed(
            id,
            secret,
            &who(&[
                ("SecurityToken", token),
                ("Timestamp", &format_timestamp(NOW + 901)),
            ]),
        );
        assert_eq!(
            code(&handle(&mut e, "POST", &late, NOW + 901)),
            "InvalidSecurityToken.Expired"
        );

        // A RAM secret's key is a live identity until revoked.
        let ak = e.store.secrets[crate::emulator::DEMO_SECRET].versions[0].clone();
        let (ak_id, ak_secret) = (ak.access_key_id.unwrap(), ak.access_key_secret.unwrap());
        let r = handle(&mut e, "POST", &signed(&ak_id, &ak_secret, &who(&[])), NOW);
        assert_eq!(json(&r)["IdentityType"], "RAMUser");
        e.revoke_version(crate::emulator::DEMO_SECRET, None);
        let r = handle(&mut e, "POST", &signed(&ak_id, &ak_secret, &who(&[])), NOW);
        assert_eq!(
            (r.status, code(&r).as_str()),
            (404, "InvalidAccessKeyId.NotFound")
        );
    }

    #[test]
    fn form_body_and_query_are_merged() {
        let p = parse_params(
            Some("Action=GetSecretValue&SecretName=a%2Fb"),
            b"Signature=ab%2B%3D&Empty=",
        )
        .unwrap();
        assert_eq!(p["SecretName"], "a/b");
        assert_eq!(p["Signature"], "ab+=");
        assert_eq!(p["Empty"], "");
        assert!(parse_params(Some("x=%zz"), b"").is_err());
    }
}
