
use builtin;
use str;

set edit:completion:arg-completer[ramsecret] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'ramsecret'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'ramsecret'= {
            cand -c 'managed_credentials_providers.properties to read (default: ./, then the user config dir)'
            cand --config 'managed_credentials_providers.properties to read (default: ./, then the user config dir)'
            cand --timeout 'Overall deadline for getting a secret, retries included (e.g. 30s, 2m)'
            cand --cache 'Where fetched secrets are cached between runs'
            cand --max-age 'Serve a cached secret for at most this long (the rotation clock may end it sooner)'
            cand --stale-max-age 'When KMS is unreachable, serve a cached secret up to this old (with a warning)'
            cand -v 'More detail on stderr (-v, -vv, -vvv); secrets are never logged'
            cand --verbose 'More detail on stderr (-v, -vv, -vvv); secrets are never logged'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --refresh 'Ignore a fresh cache entry and fetch from KMS'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand get 'Print the AccessKey of a RAM secret'
            cand env 'Print the AccessKey as environment variables for a shell or CI system'
            cand exec 'Run a command with the AccessKey in its environment; re-launch it when rotation invalidates the key'
            cand cache 'Inspect or clear the local cache of fetched secrets'
            cand dev-server 'Run a local KMS emulator on loopback (shared gateway, dedicated gateway, STS, ECS metadata)'
            cand demo 'Start the emulator in-process and show ramsecret working end to end'
            cand generate 'Write shell completions and man pages (for packagers)'
            cand dev-call 'Call the emulator''s service (GetCallerIdentity) with the AccessKey from the environment, like an SDK-based program would'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'ramsecret;get'= {
            cand --version-stage 'Version stage to read'
            cand --version-id 'Exact version to read'
            cand --format 'Output format'
            cand --field 'Print only this field, raw, followed by a newline'
            cand -c 'managed_credentials_providers.properties to read (default: ./, then the user config dir)'
            cand --config 'managed_credentials_providers.properties to read (default: ./, then the user config dir)'
            cand --timeout 'Overall deadline for getting a secret, retries included (e.g. 30s, 2m)'
            cand --cache 'Where fetched secrets are cached between runs'
            cand --max-age 'Serve a cached secret for at most this long (the rotation clock may end it sooner)'
            cand --stale-max-age 'When KMS is unreachable, serve a cached secret up to this old (with a warning)'
            cand -v 'More detail on stderr (-v, -vv, -vvv); secrets are never logged'
            cand --verbose 'More detail on stderr (-v, -vv, -vvv); secrets are never logged'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --refresh 'Ignore a fresh cache entry and fetch from KMS'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'ramsecret;env'= {
            cand --version-stage 'Version stage to read'
            cand --version-id 'Exact version to read'
            cand --format 'Syntax of the output'
            cand --preset 'Variable names to set (repeatable)'
            cand --var 'Any other variable: NAME=AccessKeyId or NAME=AccessKeySecret (repeatable; RAMSECRET_* names are reserved)'
            cand -c 'managed_credentials_providers.properties to read (default: ./, then the user config dir)'
            cand --config 'managed_credentials_providers.properties to read (default: ./, then the user config dir)'
            cand --timeout 'Overall deadline for getting a secret, retries included (e.g. 30s, 2m)'
            cand --cache 'Where fetched secrets are cached between runs'
            cand --max-age 'Serve a cached secret for at most this long (the rotation clock may end it sooner)'
            cand --stale-max-age 'When KMS is unreachable, serve a cached secret up to this old (with a warning)'
            cand -v 'More detail on stderr (-v, -vv, -vvv); secrets are never logged'
            cand --verbose 'More detail on stderr (-v, -vv, -vvv); secrets are never logged'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --refresh 'Ignore a fresh cache entry and fetch from KMS'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'ramsecret;exec'= {
            cand --version-stage 'Version stage to read'
            cand --version-id 'Exact version to read'
            cand --preset 'Variable names to set (repeatable)'
            cand --var 'Any other variable: NAME=AccessKeyId or NAME=AccessKeySecret (repeatable; RAMSECRET_* names are reserved)'
            cand --check-interval 'Check KMS for a rotated key at least this often (with jitter; at least 200ms)'
            cand --stop-signal 'Signal that asks the command to stop before a restart: HUP, INT, QUIT, KILL, USR1, USR2, TERM, WINCH, CONT, TSTP (SIG prefix optional) or a number 1-64'
            cand --stop-timeout 'After the stop signal, wait this long before KILL'
            cand --invalid-key-codes 'Error codes in the command''s output that mean the key is no longer valid (comma-separated)'
            cand --max-restarts 'Restart at most this many times within --restart-window (0: never)'
            cand --restart-window 'Window for --max-restarts'
            cand --restart 'Restart the command when the key rotates (default on-rotation; never with --credentials-server)'
            cand -c 'managed_credentials_providers.properties to read (default: ./, then the user config dir)'
            cand --config 'managed_credentials_providers.properties to read (default: ./, then the user config dir)'
            cand --timeout 'Overall deadline for getting a secret, retries included (e.g. 30s, 2m)'
            cand --cache 'Where fetched secrets are cached between runs'
            cand --max-age 'Serve a cached secret for at most this long (the rotation clock may end it sooner)'
            cand --stale-max-age 'When KMS is unreachable, serve a cached secret up to this old (with a warning)'
            cand --pristine 'Start the command with only essential variables (PATH, HOME, USER, LANG, TERM, TZ) plus the credentials'
            cand --credentials-server 'Serve the key to the command over ALIBABA_CLOUD_CREDENTIALS_URI (loopback), so SDKs pick up rotations without a restart'
            cand -v 'More detail on stderr (-v, -vv, -vvv); secrets are never logged'
            cand --verbose 'More detail on stderr (-v, -vv, -vvv); secrets are never logged'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --refresh 'Ignore a fresh cache entry and fetch from KMS'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'ramsecret;cache'= {
            cand -c 'managed_credentials_providers.properties to read (default: ./, then the user config dir)'
            cand --config 'managed_credentials_providers.properties to read (default: ./, then the user config dir)'
            cand --timeout 'Overall deadline for getting a secret, retries included (e.g. 30s, 2m)'
            cand --cache 'Where fetched secrets are cached between runs'
            cand --max-age 'Serve a cached secret for at most this long (the rotation clock may end it sooner)'
            cand --stale-max-age 'When KMS is unreachable, serve a cached secret up to this old (with a warning)'
            cand -v 'More detail on stderr (-v, -vv, -vvv); secrets are never logged'
            cand --verbose 'More detail on stderr (-v, -vv, -vvv); secrets are never logged'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --refresh 'Ignore a fresh cache entry and fetch from KMS'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand status 'Show what is cached (masked AccessKeyId, age, next refresh; never the secret)'
            cand clear 'Remove cached secrets (all, or one name)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'ramsecret;cache;status'= {
            cand -c 'managed_credentials_providers.properties to read (default: ./, then the user config dir)'
            cand --config 'managed_credentials_providers.properties to read (default: ./, then the user config dir)'
            cand --timeout 'Overall deadline for getting a secret, retries included (e.g. 30s, 2m)'
            cand --cache 'Where fetched secrets are cached between runs'
            cand --max-age 'Serve a cached secret for at most this long (the rotation clock may end it sooner)'
            cand --stale-max-age 'When KMS is unreachable, serve a cached secret up to this old (with a warning)'
            cand -v 'More detail on stderr (-v, -vv, -vvv); secrets are never logged'
            cand --verbose 'More detail on stderr (-v, -vv, -vvv); secrets are never logged'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --refresh 'Ignore a fresh cache entry and fetch from KMS'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'ramsecret;cache;clear'= {
            cand -c 'managed_credentials_providers.properties to read (default: ./, then the user config dir)'
            cand --config 'managed_credentials_providers.properties to read (default: ./, then the user config dir)'
            cand --timeout 'Overall deadline for getting a secret, retries included (e.g. 30s, 2m)'
            cand --cache 'Where fetched secrets are cached between runs'
            cand --max-age 'Serve a cached secret for at most this long (the rotation clock may end it sooner)'
            cand --stale-max-age 'When KMS is unreachable, serve a cached secret up to this old (with a warning)'
            cand -v 'More detail on stderr (-v, -vv, -vvv); secrets are never logged'
            cand --verbose 'More detail on stderr (-v, -vv, -vvv); secrets are never logged'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --refresh 'Ignore a fresh cache entry and fetch from KMS'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'ramsecret;cache;help'= {
            cand status 'Show what is cached (masked AccessKeyId, age, next refresh; never the secret)'
            cand clear 'Remove cached secrets (all, or one name)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'ramsecret;cache;help;status'= {
        }
        &'ramsecret;cache;help;clear'= {
        }
        &'ramsecret;cache;help;help'= {
        }
        &'ramsecret;dev-server'= {
            cand --listen 'Address of the plain-HTTP listener (shared gateway, STS, ECS metadata, admin API); loopback only'
            cand --dkms-listen 'Address of the TLS listener for the dedicated gateway (KMS instance API); loopback only'
            cand --state 'Keep secrets and keys in this JSON file across restarts'
            cand --dir 'Directory for the generated properties files, CA certificate and ClientKey'
            cand -c 'managed_credentials_providers.properties to read (default: ./, then the user config dir)'
            cand --config 'managed_credentials_providers.properties to read (default: ./, then the user config dir)'
            cand --timeout 'Overall deadline for getting a secret, retries included (e.g. 30s, 2m)'
            cand --cache 'Where fetched secrets are cached between runs'
            cand --max-age 'Serve a cached secret for at most this long (the rotation clock may end it sooner)'
            cand --stale-max-age 'When KMS is unreachable, serve a cached secret up to this old (with a warning)'
            cand -v 'More detail on stderr (-v, -vv, -vvv); secrets are never logged'
            cand --verbose 'More detail on stderr (-v, -vv, -vvv); secrets are never logged'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --refresh 'Ignore a fresh cache entry and fetch from KMS'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'ramsecret;demo'= {
            cand -c 'managed_credentials_providers.properties to read (default: ./, then the user config dir)'
            cand --config 'managed_credentials_providers.properties to read (default: ./, then the user config dir)'
            cand --timeout 'Overall deadline for getting a secret, retries included (e.g. 30s, 2m)'
            cand --cache 'Where fetched secrets are cached between runs'
            cand --max-age 'Serve a cached secret for at most this long (the rotation clock may end it sooner)'
            cand --stale-max-age 'When KMS is unreachable, serve a cached secret up to this old (with a warning)'
            cand -v 'More detail on stderr (-v, -vv, -vvv); secrets are never logged'
            cand --verbose 'More detail on stderr (-v, -vv, -vvv); secrets are never logged'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --refresh 'Ignore a fresh cache entry and fetch from KMS'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'ramsecret;generate'= {
            cand --out 'Directory that receives completions/ and man/'
            cand -c 'managed_credentials_providers.properties to read (default: ./, then the user config dir)'
            cand --config 'managed_credentials_providers.properties to read (default: ./, then the user config dir)'
            cand --timeout 'Overall deadline for getting a secret, retries included (e.g. 30s, 2m)'
            cand --cache 'Where fetched secrets are cached between runs'
            cand --max-age 'Serve a cached secret for at most this long (the rotation clock may end it sooner)'
            cand --stale-max-age 'When KMS is unreachable, serve a cached secret up to this old (with a warning)'
            cand -v 'More detail on stderr (-v, -vv, -vvv); secrets are never logged'
            cand --verbose 'More detail on stderr (-v, -vv, -vvv); secrets are never logged'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --refresh 'Ignore a fresh cache entry and fetch from KMS'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'ramsecret;dev-call'= {
            cand --endpoint 'The emulator''s base URL (default: RAMSECRET_DEV_ENDPOINT)'
            cand -c 'managed_credentials_providers.properties to read (default: ./, then the user config dir)'
            cand --config 'managed_credentials_providers.properties to read (default: ./, then the user config dir)'
            cand --timeout 'Overall deadline for getting a secret, retries included (e.g. 30s, 2m)'
            cand --cache 'Where fetched secrets are cached between runs'
            cand --max-age 'Serve a cached secret for at most this long (the rotation clock may end it sooner)'
            cand --stale-max-age 'When KMS is unreachable, serve a cached secret up to this old (with a warning)'
            cand -v 'More detail on stderr (-v, -vv, -vvv); secrets are never logged'
            cand --verbose 'More detail on stderr (-v, -vv, -vvv); secrets are never logged'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --refresh 'Ignore a fresh cache entry and fetch from KMS'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'ramsecret;help'= {
            cand get 'Print the AccessKey of a RAM secret'
            cand env 'Print the AccessKey as environment variables for a shell or CI system'
            cand exec 'Run a command with the AccessKey in its environment; re-launch it when rotation invalidates the key'
            cand cache 'Inspect or clear the local cache of fetched secrets'
            cand dev-server 'Run a local KMS emulator on loopback (shared gateway, dedicated gateway, STS, ECS metadata)'
            cand demo 'Start the emulator in-process and show ramsecret working end to end'
            cand generate 'Write shell completions and man pages (for packagers)'
            cand dev-call 'Call the emulator''s service (GetCallerIdentity) with the AccessKey from the environment, like an SDK-based program would'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'ramsecret;help;get'= {
        }
        &'ramsecret;help;env'= {
        }
        &'ramsecret;help;exec'= {
        }
        &'ramsecret;help;cache'= {
            cand status 'Show what is cached (masked AccessKeyId, age, next refresh; never the secret)'
            cand clear 'Remove cached secrets (all, or one name)'
        }
        &'ramsecret;help;cache;status'= {
        }
        &'ramsecret;help;cache;clear'= {
        }
        &'ramsecret;help;dev-server'= {
        }
        &'ramsecret;help;demo'= {
        }
        &'ramsecret;help;generate'= {
        }
        &'ramsecret;help;dev-call'= {
        }
        &'ramsecret;help;help'= {
        }
    ]
    $completions[$command]
}
