
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'ramsecret' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'ramsecret'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'ramsecret' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'managed_credentials_providers.properties to read (default: ./, then the user config dir)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'managed_credentials_providers.properties to read (default: ./, then the user config dir)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Overall deadline for getting a secret, retries included (e.g. 30s, 2m)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'Where fetched secrets are cached between runs')
            [CompletionResult]::new('--max-age', '--max-age', [CompletionResultType]::ParameterName, 'Serve a cached secret for at most this long (the rotation clock may end it sooner)')
            [CompletionResult]::new('--stale-max-age', '--stale-max-age', [CompletionResultType]::ParameterName, 'When KMS is unreachable, serve a cached secret up to this old (with a warning)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v, -vv, -vvv); secrets are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v, -vv, -vvv); secrets are never logged')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--refresh', '--refresh', [CompletionResultType]::ParameterName, 'Ignore a fresh cache entry and fetch from KMS')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Print the AccessKey of a RAM secret')
            [CompletionResult]::new('env', 'env', [CompletionResultType]::ParameterValue, 'Print the AccessKey as environment variables for a shell or CI system')
            [CompletionResult]::new('exec', 'exec', [CompletionResultType]::ParameterValue, 'Run a command with the AccessKey in its environment; re-launch it when rotation invalidates the key')
            [CompletionResult]::new('cache', 'cache', [CompletionResultType]::ParameterValue, 'Inspect or clear the local cache of fetched secrets')
            [CompletionResult]::new('dev-server', 'dev-server', [CompletionResultType]::ParameterValue, 'Run a local KMS emulator on loopback (shared gateway, dedicated gateway, STS, ECS metadata)')
            [CompletionResult]::new('demo', 'demo', [CompletionResultType]::ParameterValue, 'Start the emulator in-process and show ramsecret working end to end')
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Write shell completions and man pages (for packagers)')
            [CompletionResult]::new('dev-call', 'dev-call', [CompletionResultType]::ParameterValue, 'Call the emulator''s service (GetCallerIdentity) with the AccessKey from the environment, like an SDK-based program would')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'ramsecret;get' {
            [CompletionResult]::new('--version-stage', '--version-stage', [CompletionResultType]::ParameterName, 'Version stage to read')
            [CompletionResult]::new('--version-id', '--version-id', [CompletionResultType]::ParameterName, 'Exact version to read')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'Print only this field, raw, followed by a newline')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'managed_credentials_providers.properties to read (default: ./, then the user config dir)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'managed_credentials_providers.properties to read (default: ./, then the user config dir)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Overall deadline for getting a secret, retries included (e.g. 30s, 2m)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'Where fetched secrets are cached between runs')
            [CompletionResult]::new('--max-age', '--max-age', [CompletionResultType]::ParameterName, 'Serve a cached secret for at most this long (the rotation clock may end it sooner)')
            [CompletionResult]::new('--stale-max-age', '--stale-max-age', [CompletionResultType]::ParameterName, 'When KMS is unreachable, serve a cached secret up to this old (with a warning)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v, -vv, -vvv); secrets are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v, -vv, -vvv); secrets are never logged')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--refresh', '--refresh', [CompletionResultType]::ParameterName, 'Ignore a fresh cache entry and fetch from KMS')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'ramsecret;env' {
            [CompletionResult]::new('--version-stage', '--version-stage', [CompletionResultType]::ParameterName, 'Version stage to read')
            [CompletionResult]::new('--version-id', '--version-id', [CompletionResultType]::ParameterName, 'Exact version to read')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Syntax of the output')
            [CompletionResult]::new('--preset', '--preset', [CompletionResultType]::ParameterName, 'Variable names to set (repeatable)')
            [CompletionResult]::new('--var', '--var', [CompletionResultType]::ParameterName, 'Any other variable: NAME=AccessKeyId or NAME=AccessKeySecret (repeatable; RAMSECRET_* names are reserved)')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'managed_credentials_providers.properties to read (default: ./, then the user config dir)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'managed_credentials_providers.properties to read (default: ./, then the user config dir)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Overall deadline for getting a secret, retries included (e.g. 30s, 2m)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'Where fetched secrets are cached between runs')
            [CompletionResult]::new('--max-age', '--max-age', [CompletionResultType]::ParameterName, 'Serve a cached secret for at most this long (the rotation clock may end it sooner)')
            [CompletionResult]::new('--stale-max-age', '--stale-max-age', [CompletionResultType]::ParameterName, 'When KMS is unreachable, serve a cached secret up to this old (with a warning)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v, -vv, -vvv); secrets are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v, -vv, -vvv); secrets are never logged')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--refresh', '--refresh', [CompletionResultType]::ParameterName, 'Ignore a fresh cache entry and fetch from KMS')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'ramsecret;exec' {
            [CompletionResult]::new('--version-stage', '--version-stage', [CompletionResultType]::ParameterName, 'Version stage to read')
            [CompletionResult]::new('--version-id', '--version-id', [CompletionResultType]::ParameterName, 'Exact version to read')
            [CompletionResult]::new('--preset', '--preset', [CompletionResultType]::ParameterName, 'Variable names to set (repeatable)')
            [CompletionResult]::new('--var', '--var', [CompletionResultType]::ParameterName, 'Any other variable: NAME=AccessKeyId or NAME=AccessKeySecret (repeatable; RAMSECRET_* names are reserved)')
            [CompletionResult]::new('--check-interval', '--check-interval', [CompletionResultType]::ParameterName, 'Check KMS for a rotated key at least this often (with jitter; at least 200ms)')
            [CompletionResult]::new('--stop-signal', '--stop-signal', [CompletionResultType]::ParameterName, 'Signal that asks the command to stop before a restart: HUP, INT, QUIT, KILL, USR1, USR2, TERM, WINCH, CONT, TSTP (SIG prefix optional) or a number 1-64')
            [CompletionResult]::new('--stop-timeout', '--stop-timeout', [CompletionResultType]::ParameterName, 'After the stop signal, wait this long before KILL')
            [CompletionResult]::new('--invalid-key-codes', '--invalid-key-codes', [CompletionResultType]::ParameterName, 'Error codes in the command''s output that mean the key is no longer valid (comma-separated)')
            [CompletionResult]::new('--max-restarts', '--max-restarts', [CompletionResultType]::ParameterName, 'Restart at most this many times within --restart-window (0: never)')
            [CompletionResult]::new('--restart-window', '--restart-window', [CompletionResultType]::ParameterName, 'Window for --max-restarts')
            [CompletionResult]::new('--restart', '--restart', [CompletionResultType]::ParameterName, 'Restart the command when the key rotates (default on-rotation; never with --credentials-server)')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'managed_credentials_providers.properties to read (default: ./, then the user config dir)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'managed_credentials_providers.properties to read (default: ./, then the user config dir)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Overall deadline for getting a secret, retries included (e.g. 30s, 2m)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'Where fetched secrets are cached between runs')
            [CompletionResult]::new('--max-age', '--max-age', [CompletionResultType]::ParameterName, 'Serve a cached secret for at most this long (the rotation clock may end it sooner)')
            [CompletionResult]::new('--stale-max-age', '--stale-max-age', [CompletionResultType]::ParameterName, 'When KMS is unreachable, serve a cached secret up to this old (with a warning)')
            [CompletionResult]::new('--pristine', '--pristine', [CompletionResultType]::ParameterName, 'Start the command with only essential variables (PATH, HOME, USER, LANG, TERM, TZ) plus the credentials')
            [CompletionResult]::new('--credentials-server', '--credentials-server', [CompletionResultType]::ParameterName, 'Serve the key to the command over ALIBABA_CLOUD_CREDENTIALS_URI (loopback), so SDKs pick up rotations without a restart')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v, -vv, -vvv); secrets are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v, -vv, -vvv); secrets are never logged')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--refresh', '--refresh', [CompletionResultType]::ParameterName, 'Ignore a fresh cache entry and fetch from KMS')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'ramsecret;cache' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'managed_credentials_providers.properties to read (default: ./, then the user config dir)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'managed_credentials_providers.properties to read (default: ./, then the user config dir)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Overall deadline for getting a secret, retries included (e.g. 30s, 2m)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'Where fetched secrets are cached between runs')
            [CompletionResult]::new('--max-age', '--max-age', [CompletionResultType]::ParameterName, 'Serve a cached secret for at most this long (the rotation clock may end it sooner)')
            [CompletionResult]::new('--stale-max-age', '--stale-max-age', [CompletionResultType]::ParameterName, 'When KMS is unreachable, serve a cached secret up to this old (with a warning)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v, -vv, -vvv); secrets are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v, -vv, -vvv); secrets are never logged')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--refresh', '--refresh', [CompletionResultType]::ParameterName, 'Ignore a fresh cache entry and fetch from KMS')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show what is cached (masked AccessKeyId, age, next refresh; never the secret)')
            [CompletionResult]::new('clear', 'clear', [CompletionResultType]::ParameterValue, 'Remove cached secrets (all, or one name)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'ramsecret;cache;status' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'managed_credentials_providers.properties to read (default: ./, then the user config dir)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'managed_credentials_providers.properties to read (default: ./, then the user config dir)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Overall deadline for getting a secret, retries included (e.g. 30s, 2m)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'Where fetched secrets are cached between runs')
            [CompletionResult]::new('--max-age', '--max-age', [CompletionResultType]::ParameterName, 'Serve a cached secret for at most this long (the rotation clock may end it sooner)')
            [CompletionResult]::new('--stale-max-age', '--stale-max-age', [CompletionResultType]::ParameterName, 'When KMS is unreachable, serve a cached secret up to this old (with a warning)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v, -vv, -vvv); secrets are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v, -vv, -vvv); secrets are never logged')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--refresh', '--refresh', [CompletionResultType]::ParameterName, 'Ignore a fresh cache entry and fetch from KMS')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'ramsecret;cache;clear' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'managed_credentials_providers.properties to read (default: ./, then the user config dir)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'managed_credentials_providers.properties to read (default: ./, then the user config dir)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Overall deadline for getting a secret, retries included (e.g. 30s, 2m)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'Where fetched secrets are cached between runs')
            [CompletionResult]::new('--max-age', '--max-age', [CompletionResultType]::ParameterName, 'Serve a cached secret for at most this long (the rotation clock may end it sooner)')
            [CompletionResult]::new('--stale-max-age', '--stale-max-age', [CompletionResultType]::ParameterName, 'When KMS is unreachable, serve a cached secret up to this old (with a warning)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v, -vv, -vvv); secrets are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v, -vv, -vvv); secrets are never logged')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--refresh', '--refresh', [CompletionResultType]::ParameterName, 'Ignore a fresh cache entry and fetch from KMS')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'ramsecret;cache;help' {
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show what is cached (masked AccessKeyId, age, next refresh; never the secret)')
            [CompletionResult]::new('clear', 'clear', [CompletionResultType]::ParameterValue, 'Remove cached secrets (all, or one name)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'ramsecret;cache;help;status' {
            break
        }
        'ramsecret;cache;help;clear' {
            break
        }
        'ramsecret;cache;help;help' {
            break
        }
        'ramsecret;dev-server' {
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'Address of the plain-HTTP listener (shared gateway, STS, ECS metadata, admin API); loopback only')
            [CompletionResult]::new('--dkms-listen', '--dkms-listen', [CompletionResultType]::ParameterName, 'Address of the TLS listener for the dedicated gateway (KMS instance API); loopback only')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'Keep secrets and keys in this JSON file across restarts')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Directory for the generated properties files, CA certificate and ClientKey')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'managed_credentials_providers.properties to read (default: ./, then the user config dir)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'managed_credentials_providers.properties to read (default: ./, then the user config dir)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Overall deadline for getting a secret, retries included (e.g. 30s, 2m)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'Where fetched secrets are cached between runs')
            [CompletionResult]::new('--max-age', '--max-age', [CompletionResultType]::ParameterName, 'Serve a cached secret for at most this long (the rotation clock may end it sooner)')
            [CompletionResult]::new('--stale-max-age', '--stale-max-age', [CompletionResultType]::ParameterName, 'When KMS is unreachable, serve a cached secret up to this old (with a warning)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v, -vv, -vvv); secrets are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v, -vv, -vvv); secrets are never logged')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--refresh', '--refresh', [CompletionResultType]::ParameterName, 'Ignore a fresh cache entry and fetch from KMS')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'ramsecret;demo' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'managed_credentials_providers.properties to read (default: ./, then the user config dir)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'managed_credentials_providers.properties to read (default: ./, then the user config dir)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Overall deadline for getting a secret, retries included (e.g. 30s, 2m)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'Where fetched secrets are cached between runs')
            [CompletionResult]::new('--max-age', '--max-age', [CompletionResultType]::ParameterName, 'Serve a cached secret for at most this long (the rotation clock may end it sooner)')
            [CompletionResult]::new('--stale-max-age', '--stale-max-age', [CompletionResultType]::ParameterName, 'When KMS is unreachable, serve a cached secret up to this old (with a warning)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v, -vv, -vvv); secrets are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v, -vv, -vvv); secrets are never logged')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--refresh', '--refresh', [CompletionResultType]::ParameterName, 'Ignore a fresh cache entry and fetch from KMS')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'ramsecret;generate' {
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Directory that receives completions/ and man/')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'managed_credentials_providers.properties to read (default: ./, then the user config dir)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'managed_credentials_providers.properties to read (default: ./, then the user config dir)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Overall deadline for getting a secret, retries included (e.g. 30s, 2m)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'Where fetched secrets are cached between runs')
            [CompletionResult]::new('--max-age', '--max-age', [CompletionResultType]::ParameterName, 'Serve a cached secret for at most this long (the rotation clock may end it sooner)')
            [CompletionResult]::new('--stale-max-age', '--stale-max-age', [CompletionResultType]::ParameterName, 'When KMS is unreachable, serve a cached secret up to this old (with a warning)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v, -vv, -vvv); secrets are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v, -vv, -vvv); secrets are never logged')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--refresh', '--refresh', [CompletionResultType]::ParameterName, 'Ignore a fresh cache entry and fetch from KMS')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'ramsecret;dev-call' {
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'The emulator''s base URL (default: RAMSECRET_DEV_ENDPOINT)')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'managed_credentials_providers.properties to read (default: ./, then the user config dir)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'managed_credentials_providers.properties to read (default: ./, then the user config dir)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Overall deadline for getting a secret, retries included (e.g. 30s, 2m)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'Where fetched secrets are cached between runs')
            [CompletionResult]::new('--max-age', '--max-age', [CompletionResultType]::ParameterName, 'Serve a cached secret for at most this long (the rotation clock may end it sooner)')
            [CompletionResult]::new('--stale-max-age', '--stale-max-age', [CompletionResultType]::ParameterName, 'When KMS is unreachable, serve a cached secret up to this old (with a warning)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v, -vv, -vvv); secrets are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v, -vv, -vvv); secrets are never logged')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--refresh', '--refresh', [CompletionResultType]::ParameterName, 'Ignore a fresh cache entry and fetch from KMS')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'ramsecret;help' {
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Print the AccessKey of a RAM secret')
            [CompletionResult]::new('env', 'env', [CompletionResultType]::ParameterValue, 'Print the AccessKey as environment variables for a shell or CI system')
            [CompletionResult]::new('exec', 'exec', [CompletionResultType]::ParameterValue, 'Run a command with the AccessKey in its environment; re-launch it when rotation invalidates the key')
            [CompletionResult]::new('cache', 'cache', [CompletionResultType]::ParameterValue, 'Inspect or clear the local cache of fetched secrets')
            [CompletionResult]::new('dev-server', 'dev-server', [CompletionResultType]::ParameterValue, 'Run a local KMS emulator on loopback (shared gateway, dedicated gateway, STS, ECS metadata)')
            [CompletionResult]::new('demo', 'demo', [CompletionResultType]::ParameterValue, 'Start the emulator in-process and show ramsecret working end to end')
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Write shell completions and man pages (for packagers)')
            [CompletionResult]::new('dev-call', 'dev-call', [CompletionResultType]::ParameterValue, 'Call the emulator''s service (GetCallerIdentity) with the AccessKey from the environment, like an SDK-based program would')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'ramsecret;help;get' {
            break
        }
        'ramsecret;help;env' {
            break
        }
        'ramsecret;help;exec' {
            break
        }
        'ramsecret;help;cache' {
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show what is cached (masked AccessKeyId, age, next refresh; never the secret)')
            [CompletionResult]::new('clear', 'clear', [CompletionResultType]::ParameterValue, 'Remove cached secrets (all, or one name)')
            break
        }
        'ramsecret;help;cache;status' {
            break
        }
        'ramsecret;help;cache;clear' {
            break
        }
        'ramsecret;help;dev-server' {
            break
        }
        'ramsecret;help;demo' {
            break
        }
        'ramsecret;help;generate' {
            break
        }
        'ramsecret;help;dev-call' {
            break
        }
        'ramsecret;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
