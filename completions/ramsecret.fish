# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_ramsecret_global_optspecs
    string join \n c/config= v/verbose q/quiet timeout= cache= max-age= stale-max-age= refresh h/help V/version
end

function __fish_ramsecret_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_ramsecret_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_ramsecret_using_subcommand
    set -l cmd (__fish_ramsecret_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c ramsecret -n "__fish_ramsecret_needs_command" -s c -l config -d 'managed_credentials_providers.properties to read (default: ./, then the user config dir)' -r -F
complete -c ramsecret -n "__fish_ramsecret_needs_command" -l timeout -d 'Overall deadline for getting a secret, retries included (e.g. 30s, 2m)' -r
complete -c ramsecret -n "__fish_ramsecret_needs_command" -l cache -d 'Where fetched secrets are cached between runs' -r -f -a "auto\t'A keyring when one works, else files'
keyring\t'The kernel keyring, else the Secret Service; never a plaintext file'
file\t'A 0600 file holding the AccessKey, in the user\'s runtime (else cache) directory'
off\t'No cache: every run asks KMS'"
complete -c ramsecret -n "__fish_ramsecret_needs_command" -l max-age -d 'Serve a cached secret for at most this long (the rotation clock may end it sooner)' -r
complete -c ramsecret -n "__fish_ramsecret_needs_command" -l stale-max-age -d 'When KMS is unreachable, serve a cached secret up to this old (with a warning)' -r
complete -c ramsecret -n "__fish_ramsecret_needs_command" -s v -l verbose -d 'More detail on stderr (-v, -vv, -vvv); secrets are never logged'
complete -c ramsecret -n "__fish_ramsecret_needs_command" -s q -l quiet -d 'Only errors on stderr'
complete -c ramsecret -n "__fish_ramsecret_needs_command" -l refresh -d 'Ignore a fresh cache entry and fetch from KMS'
complete -c ramsecret -n "__fish_ramsecret_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ramsecret -n "__fish_ramsecret_needs_command" -s V -l version -d 'Print version'
complete -c ramsecret -n "__fish_ramsecret_needs_command" -f -a "get" -d 'Print the AccessKey of a RAM secret'
complete -c ramsecret -n "__fish_ramsecret_needs_command" -f -a "env" -d 'Print the AccessKey as environment variables for a shell or CI system'
complete -c ramsecret -n "__fish_ramsecret_needs_command" -f -a "exec" -d 'Run a command with the AccessKey in its environment; re-launch it when rotation invalidates the key'
complete -c ramsecret -n "__fish_ramsecret_needs_command" -f -a "cache" -d 'Inspect or clear the local cache of fetched secrets'
complete -c ramsecret -n "__fish_ramsecret_needs_command" -f -a "dev-server" -d 'Run a local KMS emulator on loopback (shared gateway, dedicated gateway, STS, ECS metadata)'
complete -c ramsecret -n "__fish_ramsecret_needs_command" -f -a "demo" -d 'Start the emulator in-process and show ramsecret working end to end'
complete -c ramsecret -n "__fish_ramsecret_needs_command" -f -a "generate" -d 'Write shell completions and man pages (for packagers)'
complete -c ramsecret -n "__fish_ramsecret_needs_command" -f -a "dev-call" -d 'Call the emulator\'s service (GetCallerIdentity) with the AccessKey from the environment, like an SDK-based program would'
complete -c ramsecret -n "__fish_ramsecret_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ramsecret -n "__fish_ramsecret_using_subcommand get" -l version-stage -d 'Version stage to read' -r
complete -c ramsecret -n "__fish_ramsecret_using_subcommand get" -l version-id -d 'Exact version to read' -r
complete -c ramsecret -n "__fish_ramsecret_using_subcommand get" -l format -d 'Output format' -r -f -a "json\t'The pair plus version and rotation metadata, API field names'
aliyun-cli\t'aliyun CLI External mode: {"mode":"AK","access_key_id":..,"access_key_secret":..}'
credentials-uri\t'ALIBABA_CLOUD_CREDENTIALS_URI response: {"Code":"Success","AccessKeyId",..,"Expiration"}'"
complete -c ramsecret -n "__fish_ramsecret_using_subcommand get" -l field -d 'Print only this field, raw, followed by a newline' -r -f -a "AccessKeyId\t''
AccessKeySecret\t''"
complete -c ramsecret -n "__fish_ramsecret_using_subcommand get" -s c -l config -d 'managed_credentials_providers.properties to read (default: ./, then the user config dir)' -r -F
complete -c ramsecret -n "__fish_ramsecret_using_subcommand get" -l timeout -d 'Overall deadline for getting a secret, retries included (e.g. 30s, 2m)' -r
complete -c ramsecret -n "__fish_ramsecret_using_subcommand get" -l cache -d 'Where fetched secrets are cached between runs' -r -f -a "auto\t'A keyring when one works, else files'
keyring\t'The kernel keyring, else the Secret Service; never a plaintext file'
file\t'A 0600 file holding the AccessKey, in the user\'s runtime (else cache) directory'
off\t'No cache: every run asks KMS'"
complete -c ramsecret -n "__fish_ramsecret_using_subcommand get" -l max-age -d 'Serve a cached secret for at most this long (the rotation clock may end it sooner)' -r
complete -c ramsecret -n "__fish_ramsecret_using_subcommand get" -l stale-max-age -d 'When KMS is unreachable, serve a cached secret up to this old (with a warning)' -r
complete -c ramsecret -n "__fish_ramsecret_using_subcommand get" -s v -l verbose -d 'More detail on stderr (-v, -vv, -vvv); secrets are never logged'
complete -c ramsecret -n "__fish_ramsecret_using_subcommand get" -s q -l quiet -d 'Only errors on stderr'
complete -c ramsecret -n "__fish_ramsecret_using_subcommand get" -l refresh -d 'Ignore a fresh cache entry and fetch from KMS'
complete -c ramsecret -n "__fish_ramsecret_using_subcommand get" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ramsecret -n "__fish_ramsecret_using_subcommand env" -l version-stage -d 'Version stage to read' -r
complete -c ramsecret -n "__fish_ramsecret_using_subcommand env" -l version-id -d 'Exact version to read' -r
complete -c ramsecret -n "__fish_ramsecret_using_subcommand env" -l format -d 'Syntax of the output' -r -f -a "posix\t''
fish\t''
powershell\t''
cmd\t''
dotenv\t''
json\t''
github\t''"
complete -c ramsecret -n "__fish_ramsecret_using_subcommand env" -l preset -d 'Variable names to set (repeatable)' -r -f -a "alibaba\t'ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET'
alicloud\t'ALICLOUD_ACCESS_KEY / ALICLOUD_SECRET_KEY (Terraform)'
oss\t'OSS_ACCESS_KEY_ID / OSS_ACCESS_KEY_SECRET'"
complete -c ramsecret -n "__fish_ramsecret_using_subcommand env" -l var -d 'Any other variable: NAME=AccessKeyId or NAME=AccessKeySecret (repeatable; RAMSECRET_* names are reserved)' -r
complete -c ramsecret -n "__fish_ramsecret_using_subcommand env" -s c -l config -d 'managed_credentials_providers.properties to read (default: ./, then the user config dir)' -r -F
complete -c ramsecret -n "__fish_ramsecret_using_subcommand env" -l timeout -d 'Overall deadline for getting a secret, retries included (e.g. 30s, 2m)' -r
complete -c ramsecret -n "__fish_ramsecret_using_subcommand env" -l cache -d 'Where fetched secrets are cached between runs' -r -f -a "auto\t'A keyring when one works, else files'
keyring\t'The kernel keyring, else the Secret Service; never a plaintext file'
file\t'A 0600 file holding the AccessKey, in the user\'s runtime (else cache) directory'
off\t'No cache: every run asks KMS'"
complete -c ramsecret -n "__fish_ramsecret_using_subcommand env" -l max-age -d 'Serve a cached secret for at most this long (the rotation clock may end it sooner)' -r
complete -c ramsecret -n "__fish_ramsecret_using_subcommand env" -l stale-max-age -d 'When KMS is unreachable, serve a cached secret up to this old (with a warning)' -r
complete -c ramsecret -n "__fish_ramsecret_using_subcommand env" -s v -l verbose -d 'More detail on stderr (-v, -vv, -vvv); secrets are never logged'
complete -c ramsecret -n "__fish_ramsecret_using_subcommand env" -s q -l quiet -d 'Only errors on stderr'
complete -c ramsecret -n "__fish_ramsecret_using_subcommand env" -l refresh -d 'Ignore a fresh cache entry and fetch from KMS'
complete -c ramsecret -n "__fish_ramsecret_using_subcommand env" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ramsecret -n "__fish_ramsecret_using_subcommand exec" -l version-stage -d 'Version stage to read' -r
complete -c ramsecret -n "__fish_ramsecret_using_subcommand exec" -l version-id -d 'Exact version to read' -r
complete -c ramsecret -n "__fish_ramsecret_using_subcommand exec" -l preset -d 'Variable names to set (repeatable)' -r -f -a "alibaba\t'ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET'
alicloud\t'ALICLOUD_ACCESS_KEY / ALICLOUD_SECRET_KEY (Terraform)'
oss\t'OSS_ACCESS_KEY_ID / OSS_ACCESS_KEY_SECRET'"
complete -c ramsecret -n "__fish_ramsecret_using_subcommand exec" -l var -d 'Any other variable: NAME=AccessKeyId or NAME=AccessKeySecret (repeatable; RAMSECRET_* names are reserved)' -r
complete -c ramsecret -n "__fish_ramsecret_using_subcommand exec" -l check-interval -d 'Check KMS for a rotated key at least this often (with jitter; at least 200ms)' -r
complete -c ramsecret -n "__fish_ramsecret_using_subcommand exec" -l stop-signal -d 'Signal that asks the command to stop before a restart: HUP, INT, QUIT, KILL, USR1, USR2, TERM, WINCH, CONT, TSTP (SIG prefix optional) or a number 1-64' -r
complete -c ramsecret -n "__fish_ramsecret_using_subcommand exec" -l stop-timeout -d 'After the stop signal, wait this long before KILL' -r
complete -c ramsecret -n "__fish_ramsecret_using_subcommand exec" -l invalid-key-codes -d 'Error codes in the command\'s output that mean the key is no longer valid (comma-separated)' -r
complete -c ramsecret -n "__fish_ramsecret_using_subcommand exec" -l max-restarts -d 'Restart at most this many times within --restart-window (0: never)' -r
complete -c ramsecret -n "__fish_ramsecret_using_subcommand exec" -l restart-window -d 'Window for --max-restarts' -r
complete -c ramsecret -n "__fish_ramsecret_using_subcommand exec" -l restart -d 'Restart the command when the key rotates (default on-rotation; never with --credentials-server)' -r -f -a "on-rotation\t''
never\t''"
complete -c ramsecret -n "__fish_ramsecret_using_subcommand exec" -s c -l config -d 'managed_credentials_providers.properties to read (default: ./, then the user config dir)' -r -F
complete -c ramsecret -n "__fish_ramsecret_using_subcommand exec" -l timeout -d 'Overall deadline for getting a secret, retries included (e.g. 30s, 2m)' -r
complete -c ramsecret -n "__fish_ramsecret_using_subcommand exec" -l cache -d 'Where fetched secrets are cached between runs' -r -f -a "auto\t'A keyring when one works, else files'
keyring\t'The kernel keyring, else the Secret Service; never a plaintext file'
file\t'A 0600 file holding the AccessKey, in the user\'s runtime (else cache) directory'
off\t'No cache: every run asks KMS'"
complete -c ramsecret -n "__fish_ramsecret_using_subcommand exec" -l max-age -d 'Serve a cached secret for at most this long (the rotation clock may end it sooner)' -r
complete -c ramsecret -n "__fish_ramsecret_using_subcommand exec" -l stale-max-age -d 'When KMS is unreachable, serve a cached secret up to this old (with a warning)' -r
complete -c ramsecret -n "__fish_ramsecret_using_subcommand exec" -l pristine -d 'Start the command with only essential variables (PATH, HOME, USER, LANG, TERM, TZ) plus the credentials'
complete -c ramsecret -n "__fish_ramsecret_using_subcommand exec" -l credentials-server -d 'Serve the key to the command over ALIBABA_CLOUD_CREDENTIALS_URI (loopback), so SDKs pick up rotations without a restart'
complete -c ramsecret -n "__fish_ramsecret_using_subcommand exec" -s v -l verbose -d 'More detail on stderr (-v, -vv, -vvv); secrets are never logged'
complete -c ramsecret -n "__fish_ramsecret_using_subcommand exec" -s q -l quiet -d 'Only errors on stderr'
complete -c ramsecret -n "__fish_ramsecret_using_subcommand exec" -l refresh -d 'Ignore a fresh cache entry and fetch from KMS'
complete -c ramsecret -n "__fish_ramsecret_using_subcommand exec" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ramsecret -n "__fish_ramsecret_using_subcommand cache; and not __fish_seen_subcommand_from status clear help" -s c -l config -d 'managed_credentials_providers.properties to read (default: ./, then the user config dir)' -r -F
complete -c ramsecret -n "__fish_ramsecret_using_subcommand cache; and not __fish_seen_subcommand_from status clear help" -l timeout -d 'Overall deadline for getting a secret, retries included (e.g. 30s, 2m)' -r
complete -c ramsecret -n "__fish_ramsecret_using_subcommand cache; and not __fish_seen_subcommand_from status clear help" -l cache -d 'Where fetched secrets are cached between runs' -r -f -a "auto\t'A keyring when one works, else files'
keyring\t'The kernel keyring, else the Secret Service; never a plaintext file'
file\t'A 0600 file holding the AccessKey, in the user\'s runtime (else cache) directory'
off\t'No cache: every run asks KMS'"
complete -c ramsecret -n "__fish_ramsecret_using_subcommand cache; and not __fish_seen_subcommand_from status clear help" -l max-age -d 'Serve a cached secret for at most this long (the rotation clock may end it sooner)' -r
complete -c ramsecret -n "__fish_ramsecret_using_subcommand cache; and not __fish_seen_subcommand_from status clear help" -l stale-max-age -d 'When KMS is unreachable, serve a cached secret up to this old (with a warning)' -r
complete -c ramsecret -n "__fish_ramsecret_using_subcommand cache; and not __fish_seen_subcommand_from status clear help" -s v -l verbose -d 'More detail on stderr (-v, -vv, -vvv); secrets are never logged'
complete -c ramsecret -n "__fish_ramsecret_using_subcommand cache; and not __fish_seen_subcommand_from status clear help" -s q -l quiet -d 'Only errors on stderr'
complete -c ramsecret -n "__fish_ramsecret_using_subcommand cache; and not __fish_seen_subcommand_from status clear help" -l refresh -d 'Ignore a fresh cache entry and fetch from KMS'
complete -c ramsecret -n "__fish_ramsecret_using_subcommand cache; and not __fish_seen_subcommand_from status clear help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ramsecret -n "__fish_ramsecret_using_subcommand cache; and not __fish_seen_subcommand_from status clear help" -f -a "status" -d 'Show what is cached (masked AccessKeyId, age, next refresh; never the secret)'
complete -c ramsecret -n "__fish_ramsecret_using_subcommand cache; and not __fish_seen_subcommand_from status clear help" -f -a "clear" -d 'Remove cached secrets (all, or one name)'
complete -c ramsecret -n "__fish_ramsecret_using_subcommand cache; and not __fish_seen_subcommand_from status clear help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ramsecret -n "__fish_ramsecret_using_subcommand cache; and __fish_seen_subcommand_from status" -s c -l config -d 'managed_credentials_providers.properties to read (default: ./, then the user config dir)' -r -F
complete -c ramsecret -n "__fish_ramsecret_using_subcommand cache; and __fish_seen_subcommand_from status" -l timeout -d 'Overall deadline for getting a secret, retries included (e.g. 30s, 2m)' -r
complete -c ramsecret -n "__fish_ramsecret_using_subcommand cache; and __fish_seen_subcommand_from status" -l cache -d 'Where fetched secrets are cached between runs' -r -f -a "auto\t'A keyring when one works, else files'
keyring\t'The kernel keyring, else the Secret Service; never a plaintext file'
file\t'A 0600 file holding the AccessKey, in the user\'s runtime (else cache) directory'
off\t'No cache: every run asks KMS'"
complete -c ramsecret -n "__fish_ramsecret_using_subcommand cache; and __fish_seen_subcommand_from status" -l max-age -d 'Serve a cached secret for at most this long (the rotation clock may end it sooner)' -r
complete -c ramsecret -n "__fish_ramsecret_using_subcommand cache; and __fish_seen_subcommand_from status" -l stale-max-age -d 'When KMS is unreachable, serve a cached secret up to this old (with a warning)' -r
complete -c ramsecret -n "__fish_ramsecret_using_subcommand cache; and __fish_seen_subcommand_from status" -s v -l verbose -d 'More detail on stderr (-v, -vv, -vvv); secrets are never logged'
complete -c ramsecret -n "__fish_ramsecret_using_subcommand cache; and __fish_seen_subcommand_from status" -s q -l quiet -d 'Only errors on stderr'
complete -c ramsecret -n "__fish_ramsecret_using_subcommand cache; and __fish_seen_subcommand_from status" -l refresh -d 'Ignore a fresh cache entry and fetch from KMS'
complete -c ramsecret -n "__fish_ramsecret_using_subcommand cache; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ramsecret -n "__fish_ramsecret_using_subcommand cache; and __fish_seen_subcommand_from clear" -s c -l config -d 'managed_credentials_providers.properties to read (default: ./, then the user config dir)' -r -F
complete -c ramsecret -n "__fish_ramsecret_using_subcommand cache; and __fish_seen_subcommand_from clear" -l timeout -d 'Overall deadline for getting a secret, retries included (e.g. 30s, 2m)' -r
complete -c ramsecret -n "__fish_ramsecret_using_subcommand cache; and __fish_seen_subcommand_from clear" -l cache -d 'Where fetched secrets are cached between runs' -r -f -a "auto\t'A keyring when one works, else files'
keyring\t'The kernel keyring, else the Secret Service; never a plaintext file'
file\t'A 0600 file holding the AccessKey, in the user\'s runtime (else cache) directory'
off\t'No cache: every run asks KMS'"
complete -c ramsecret -n "__fish_ramsecret_using_subcommand cache; and __fish_seen_subcommand_from clear" -l max-age -d 'Serve a cached secret for at most this long (the rotation clock may end it sooner)' -r
complete -c ramsecret -n "__fish_ramsecret_using_subcommand cache; and __fish_seen_subcommand_from clear" -l stale-max-age -d 'When KMS is unreachable, serve a cached secret up to this old (with a warning)' -r
complete -c ramsecret -n "__fish_ramsecret_using_subcommand cache; and __fish_seen_subcommand_from clear" -s v -l verbose -d 'More detail on stderr (-v, -vv, -vvv); secrets are never logged'
complete -c ramsecret -n "__fish_ramsecret_using_subcommand cache; and __fish_seen_subcommand_from clear" -s q -l quiet -d 'Only errors on stderr'
complete -c ramsecret -n "__fish_ramsecret_using_subcommand cache; and __fish_seen_subcommand_from clear" -l refresh -d 'Ignore a fresh cache entry and fetch from KMS'
complete -c ramsecret -n "__fish_ramsecret_using_subcommand cache; and __fish_seen_subcommand_from clear" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ramsecret -n "__fish_ramsecret_using_subcommand cache; and __fish_seen_subcommand_from help" -f -a "status" -d 'Show what is cached (masked AccessKeyId, age, next refresh; never the secret)'
complete -c ramsecret -n "__fish_ramsecret_using_subcommand cache; and __fish_seen_subcommand_from help" -f -a "clear" -d 'Remove cached secrets (all, or one name)'
complete -c ramsecret -n "__fish_ramsecret_using_subcommand cache; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ramsecret -n "__fish_ramsecret_using_subcommand dev-server" -l listen -d 'Address of the plain-HTTP listener (shared gateway, STS, ECS metadata, admin API); loopback only' -r
complete -c ramsecret -n "__fish_ramsecret_using_subcommand dev-server" -l dkms-listen -d 'Address of the TLS listener for the dedicated gateway (KMS instance API); loopback only' -r
complete -c ramsecret -n "__fish_ramsecret_using_subcommand dev-server" -l state -d 'Keep secrets and keys in this JSON file across restarts' -r -F
complete -c ramsecret -n "__fish_ramsecret_using_subcommand dev-server" -l dir -d 'Directory for the generated properties files, CA certificate and ClientKey' -r -F
complete -c ramsecret -n "__fish_ramsecret_using_subcommand dev-server" -s c -l config -d 'managed_credentials_providers.properties to read (default: ./, then the user config dir)' -r -F
complete -c ramsecret -n "__fish_ramsecret_using_subcommand dev-server" -l timeout -d 'Overall deadline for getting a secret, retries included (e.g. 30s, 2m)' -r
complete -c ramsecret -n "__fish_ramsecret_using_subcommand dev-server" -l cache -d 'Where fetched secrets are cached between runs' -r -f -a "auto\t'A keyring when one works, else files'
keyring\t'The kernel keyring, else the Secret Service; never a plaintext file'
file\t'A 0600 file holding the AccessKey, in the user\'s runtime (else cache) directory'
off\t'No cache: every run asks KMS'"
complete -c ramsecret -n "__fish_ramsecret_using_subcommand dev-server" -l max-age -d 'Serve a cached secret for at most this long (the rotation clock may end it sooner)' -r
complete -c ramsecret -n "__fish_ramsecret_using_subcommand dev-server" -l stale-max-age -d 'When KMS is unreachable, serve a cached secret up to this old (with a warning)' -r
complete -c ramsecret -n "__fish_ramsecret_using_subcommand dev-server" -s v -l verbose -d 'More detail on stderr (-v, -vv, -vvv); secrets are never logged'
complete -c ramsecret -n "__fish_ramsecret_using_subcommand dev-server" -s q -l quiet -d 'Only errors on stderr'
complete -c ramsecret -n "__fish_ramsecret_using_subcommand dev-server" -l refresh -d 'Ignore a fresh cache entry and fetch from KMS'
complete -c ramsecret -n "__fish_ramsecret_using_subcommand dev-server" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ramsecret -n "__fish_ramsecret_using_subcommand demo" -s c -l config -d 'managed_credentials_providers.properties to read (default: ./, then the user config dir)' -r -F
complete -c ramsecret -n "__fish_ramsecret_using_subcommand demo" -l timeout -d 'Overall deadline for getting a secret, retries included (e.g. 30s, 2m)' -r
complete -c ramsecret -n "__fish_ramsecret_using_subcommand demo" -l cache -d 'Where fetched secrets are cached between runs' -r -f -a "auto\t'A keyring when one works, else files'
keyring\t'The kernel keyring, else the Secret Service; never a plaintext file'
file\t'A 0600 file holding the AccessKey, in the user\'s runtime (else cache) directory'
off\t'No cache: every run asks KMS'"
complete -c ramsecret -n "__fish_ramsecret_using_subcommand demo" -l max-age -d 'Serve a cached secret for at most this long (the rotation clock may end it sooner)' -r
complete -c ramsecret -n "__fish_ramsecret_using_subcommand demo" -l stale-max-age -d 'When KMS is unreachable, serve a cached secret up to this old (with a warning)' -r
complete -c ramsecret -n "__fish_ramsecret_using_subcommand demo" -s v -l verbose -d 'More detail on stderr (-v, -vv, -vvv); secrets are never logged'
complete -c ramsecret -n "__fish_ramsecret_using_subcommand demo" -s q -l quiet -d 'Only errors on stderr'
complete -c ramsecret -n "__fish_ramsecret_using_subcommand demo" -l refresh -d 'Ignore a fresh cache entry and fetch from KMS'
complete -c ramsecret -n "__fish_ramsecret_using_subcommand demo" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ramsecret -n "__fish_ramsecret_using_subcommand generate" -l out -d 'Directory that receives completions/ and man/' -r -F
complete -c ramsecret -n "__fish_ramsecret_using_subcommand generate" -s c -l config -d 'managed_credentials_providers.properties to read (default: ./, then the user config dir)' -r -F
complete -c ramsecret -n "__fish_ramsecret_using_subcommand generate" -l timeout -d 'Overall deadline for getting a secret, retries included (e.g. 30s, 2m)' -r
complete -c ramsecret -n "__fish_ramsecret_using_subcommand generate" -l cache -d 'Where fetched secrets are cached between runs' -r -f -a "auto\t'A keyring when one works, else files'
keyring\t'The kernel keyring, else the Secret Service; never a plaintext file'
file\t'A 0600 file holding the AccessKey, in the user\'s runtime (else cache) directory'
off\t'No cache: every run asks KMS'"
complete -c ramsecret -n "__fish_ramsecret_using_subcommand generate" -l max-age -d 'Serve a cached secret for at most this long (the rotation clock may end it sooner)' -r
complete -c ramsecret -n "__fish_ramsecret_using_subcommand generate" -l stale-max-age -d 'When KMS is unreachable, serve a cached secret up to this old (with a warning)' -r
complete -c ramsecret -n "__fish_ramsecret_using_subcommand generate" -s v -l verbose -d 'More detail on stderr (-v, -vv, -vvv); secrets are never logged'
complete -c ramsecret -n "__fish_ramsecret_using_subcommand generate" -s q -l quiet -d 'Only errors on stderr'
complete -c ramsecret -n "__fish_ramsecret_using_subcommand generate" -l refresh -d 'Ignore a fresh cache entry and fetch from KMS'
complete -c ramsecret -n "__fish_ramsecret_using_subcommand generate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ramsecret -n "__fish_ramsecret_using_subcommand dev-call" -l endpoint -d 'The emulator\'s base URL (default: RAMSECRET_DEV_ENDPOINT)' -r
complete -c ramsecret -n "__fish_ramsecret_using_subcommand dev-call" -s c -l config -d 'managed_credentials_providers.properties to read (default: ./, then the user config dir)' -r -F
complete -c ramsecret -n "__fish_ramsecret_using_subcommand dev-call" -l timeout -d 'Overall deadline for getting a secret, retries included (e.g. 30s, 2m)' -r
complete -c ramsecret -n "__fish_ramsecret_using_subcommand dev-call" -l cache -d 'Where fetched secrets are cached between runs' -r -f -a "auto\t'A keyring when one works, else files'
keyring\t'The kernel keyring, else the Secret Service; never a plaintext file'
file\t'A 0600 file holding the AccessKey, in the user\'s runtime (else cache) directory'
off\t'No cache: every run asks KMS'"
complete -c ramsecret -n "__fish_ramsecret_using_subcommand dev-call" -l max-age -d 'Serve a cached secret for at most this long (the rotation clock may end it sooner)' -r
complete -c ramsecret -n "__fish_ramsecret_using_subcommand dev-call" -l stale-max-age -d 'When KMS is unreachable, serve a cached secret up to this old (with a warning)' -r
complete -c ramsecret -n "__fish_ramsecret_using_subcommand dev-call" -s v -l verbose -d 'More detail on stderr (-v, -vv, -vvv); secrets are never logged'
complete -c ramsecret -n "__fish_ramsecret_using_subcommand dev-call" -s q -l quiet -d 'Only errors on stderr'
complete -c ramsecret -n "__fish_ramsecret_using_subcommand dev-call" -l refresh -d 'Ignore a fresh cache entry and fetch from KMS'
complete -c ramsecret -n "__fish_ramsecret_using_subcommand dev-call" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ramsecret -n "__fish_ramsecret_using_subcommand help; and not __fish_seen_subcommand_from get env exec cache dev-server demo generate dev-call help" -f -a "get" -d 'Print the AccessKey of a RAM secret'
complete -c ramsecret -n "__fish_ramsecret_using_subcommand help; and not __fish_seen_subcommand_from get env exec cache dev-server demo generate dev-call help" -f -a "env" -d 'Print the AccessKey as environment variables for a shell or CI system'
complete -c ramsecret -n "__fish_ramsecret_using_subcommand help; and not __fish_seen_subcommand_from get env exec cache dev-server demo generate dev-call help" -f -a "exec" -d 'Run a command with the AccessKey in its environment; re-launch it when rotation invalidates the key'
complete -c ramsecret -n "__fish_ramsecret_using_subcommand help; and not __fish_seen_subcommand_from get env exec cache dev-server demo generate dev-call help" -f -a "cache" -d 'Inspect or clear the local cache of fetched secrets'
complete -c ramsecret -n "__fish_ramsecret_using_subcommand help; and not __fish_seen_subcommand_from get env exec cache dev-server demo generate dev-call help" -f -a "dev-server" -d 'Run a local KMS emulator on loopback (shared gateway, dedicated gateway, STS, ECS metadata)'
complete -c ramsecret -n "__fish_ramsecret_using_subcommand help; and not __fish_seen_subcommand_from get env exec cache dev-server demo generate dev-call help" -f -a "demo" -d 'Start the emulator in-process and show ramsecret working end to end'
complete -c ramsecret -n "__fish_ramsecret_using_subcommand help; and not __fish_seen_subcommand_from get env exec cache dev-server demo generate dev-call help" -f -a "generate" -d 'Write shell completions and man pages (for packagers)'
complete -c ramsecret -n "__fish_ramsecret_using_subcommand help; and not __fish_seen_subcommand_from get env exec cache dev-server demo generate dev-call help" -f -a "dev-call" -d 'Call the emulator\'s service (GetCallerIdentity) with the AccessKey from the environment, like an SDK-based program would'
complete -c ramsecret -n "__fish_ramsecret_using_subcommand help; and not __fish_seen_subcommand_from get env exec cache dev-server demo generate dev-call help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ramsecret -n "__fish_ramsecret_using_subcommand help; and __fish_seen_subcommand_from cache" -f -a "status" -d 'Show what is cached (masked AccessKeyId, age, next refresh; never the secret)'
complete -c ramsecret -n "__fish_ramsecret_using_subcommand help; and __fish_seen_subcommand_from cache" -f -a "clear" -d 'Remove cached secrets (all, or one name)'
