
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'lanyard' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'lanyard'
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
        'lanyard' {
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'lanyard''s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]')
            [CompletionResult]::new('--nix-conf', '--nix-conf', [CompletionResultType]::ParameterName, 'The user nix.conf to manage [default: found as Nix finds it]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of every network request, in seconds')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt (also when stdin is not a terminal or `CI` is set)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what lanyard does (repeatable); never prints secrets')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what lanyard does (repeatable); never prints secrets')
            [CompletionResult]::new('--ignore-env', '--ignore-env', [CompletionResultType]::ParameterName, 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Log in to a provider, host or URL (device flow, or a pasted token)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show credentials and check them; the exit code says whether they are usable')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Remove a credential from lanyard and every file it was written to')
            [CompletionResult]::new('token', 'token', [CompletionResultType]::ParameterValue, 'Print a credential''s token on stdout (nothing else)')
            [CompletionResult]::new('which', 'which', [CompletionResultType]::ParameterValue, 'Say which account (or environment token) answers for a target here, and why')
            [CompletionResult]::new('refresh', 'refresh', [CompletionResultType]::ParameterValue, 'Refresh credentials that have a refresh token and expire within --min-valid')
            [CompletionResult]::new('rotate', 'rotate', [CompletionResultType]::ParameterValue, 'Renew a token that cannot refresh where its server allows it (GitLab personal access tokens)')
            [CompletionResult]::new('switch', 'switch', [CompletionResultType]::ParameterValue, 'Make another account of a host the active one (what its tools and `token HOST` get)')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Adopt the credentials gh, glab, tea, ~/.netrc, git and Nix already hold')
            [CompletionResult]::new('providers', 'providers', [CompletionResultType]::ParameterValue, 'List the providers lanyard knows')
            [CompletionResult]::new('exec', 'exec', [CompletionResultType]::ParameterValue, 'Run a command with fresh credentials in its environment')
            [CompletionResult]::new('git-credential', 'git-credential', [CompletionResultType]::ParameterValue, 'git''s credential helper protocol on stdin/stdout (git runs this)')
            [CompletionResult]::new('setup-git', 'setup-git', [CompletionResultType]::ParameterValue, 'Make lanyard git''s credential helper for a host (all hosts without TARGET)')
            [CompletionResult]::new('setup-netrc', 'setup-netrc', [CompletionResultType]::ParameterValue, 'Write a credential into ~/.netrc for curl, pip, uv, Poetry and Go (refresh keeps it fresh)')
            [CompletionResult]::new('setup-npm', 'setup-npm', [CompletionResultType]::ParameterValue, 'Write a credential into ~/.npmrc for its npm registry (refresh keeps it fresh)')
            [CompletionResult]::new('cargo-credential', 'cargo-credential', [CompletionResultType]::ParameterValue, 'cargo''s credential-provider protocol on stdin/stdout (cargo runs this)')
            [CompletionResult]::new('setup-cargo', 'setup-cargo', [CompletionResultType]::ParameterValue, 'Make lanyard the credential provider of a cargo registry (~/.cargo/config.toml)')
            [CompletionResult]::new('docker-credential', 'docker-credential', [CompletionResultType]::ParameterValue, 'docker''s credential-helper protocol on stdin/stdout (docker, podman, skopeo run this)')
            [CompletionResult]::new('setup-docker', 'setup-docker', [CompletionResultType]::ParameterValue, 'Make lanyard the credential helper of container registries (docker, podman, skopeo)')
            [CompletionResult]::new('kube-credential', 'kube-credential', [CompletionResultType]::ParameterValue, 'kubectl''s exec credential plugin: an ExecCredential with a fresh token (kubectl runs this)')
            [CompletionResult]::new('setup-kube', 'setup-kube', [CompletionResultType]::ParameterValue, 'Make kubectl get a context''s token from lanyard (writes the kubeconfig''s exec user)')
            [CompletionResult]::new('unlock', 'unlock', [CompletionResultType]::ParameterValue, 'Open the encrypted store (asks for its passphrase once) and start the agent')
            [CompletionResult]::new('lock', 'lock', [CompletionResultType]::ParameterValue, 'Make the agent forget every secret it holds until `lanyard unlock`')
            [CompletionResult]::new('agent', 'agent', [CompletionResultType]::ParameterValue, 'The agent: a per-user process that holds unlocked secrets in memory')
            [CompletionResult]::new('storage', 'storage', [CompletionResultType]::ParameterValue, 'Move every credential to another storage (all or nothing, with a backup)')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print shell completions')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (roff)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'lanyard;login' {
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'Protocol family or provider id for a host lanyard does not know')
            [CompletionResult]::new('--client-id', '--client-id', [CompletionResultType]::ParameterName, 'OAuth client id for the device flow (overrides the provider file''s)')
            [CompletionResult]::new('--scopes', '--scopes', [CompletionResultType]::ParameterName, 'Scopes to ask for (device flow) or name on the token page, comma-separated')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Account name: an email for duh, a user name for basic auth')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'The duumbi registry name to file the token under in duumbi''s credentials.toml')
            [CompletionResult]::new('--credentials-path', '--credentials-path', [CompletionResultType]::ParameterName, 'Where skillsctl''s credentials.json goes [default: ~/.config/skillsctl/credentials.json]')
            [CompletionResult]::new('--storage', '--storage', [CompletionResultType]::ParameterName, 'Where the secret goes: the OS keyring, the plaintext file, or auto (keyring when one answers)')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'lanyard''s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]')
            [CompletionResult]::new('--nix-conf', '--nix-conf', [CompletionResultType]::ParameterName, 'The user nix.conf to manage [default: found as Nix finds it]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of every network request, in seconds')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)')
            [CompletionResult]::new('--with-token', '--with-token', [CompletionResultType]::ParameterName, 'Paste a token instead of the device flow: read from stdin (one line), not a hidden prompt')
            [CompletionResult]::new('--device', '--device', [CompletionResultType]::ParameterName, 'Use the device flow (RFC 8628), or fail saying why it is impossible')
            [CompletionResult]::new('--web', '--web', [CompletionResultType]::ParameterName, 'Use the browser flow (authorization code with PKCE), or fail saying why it is impossible')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace an existing credential without asking')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would be written where, and write nothing')
            [CompletionResult]::new('--no-browser', '--no-browser', [CompletionResultType]::ParameterName, 'Do not open a browser')
            [CompletionResult]::new('--with-password', '--with-password', [CompletionResultType]::ParameterName, 'Read the password from stdin (one line) instead of a hidden prompt')
            [CompletionResult]::new('--no-nix', '--no-nix', [CompletionResultType]::ParameterName, 'Do not write the token into Nix''s `access-tokens`')
            [CompletionResult]::new('--netrc', '--netrc', [CompletionResultType]::ParameterName, 'Also write the credential into ~/.netrc (curl, pip, uv, Poetry, Go), kept fresh')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt (also when stdin is not a terminal or `CI` is set)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what lanyard does (repeatable); never prints secrets')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what lanyard does (repeatable); never prints secrets')
            [CompletionResult]::new('--ignore-env', '--ignore-env', [CompletionResultType]::ParameterName, 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'lanyard;status' {
            [CompletionResult]::new('--warn-within', '--warn-within', [CompletionResultType]::ParameterName, 'Exit 5 when a credential expires within this time (90s, 15m, 2h, 7d)')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'lanyard''s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]')
            [CompletionResult]::new('--nix-conf', '--nix-conf', [CompletionResultType]::ParameterName, 'The user nix.conf to manage [default: found as Nix finds it]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of every network request, in seconds')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Do not ask the servers; judge from what is stored')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON on stdout')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt (also when stdin is not a terminal or `CI` is set)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what lanyard does (repeatable); never prints secrets')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what lanyard does (repeatable); never prints secrets')
            [CompletionResult]::new('--ignore-env', '--ignore-env', [CompletionResultType]::ParameterName, 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'lanyard;logout' {
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'lanyard''s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]')
            [CompletionResult]::new('--nix-conf', '--nix-conf', [CompletionResultType]::ParameterName, 'The user nix.conf to manage [default: found as Nix finds it]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of every network request, in seconds')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Log out of everything')
            [CompletionResult]::new('--revoke', '--revoke', [CompletionResultType]::ParameterName, 'Revoke the token on the server first (RFC 7009, GitLab''s token API), or say where to')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would be removed, and remove nothing')
            [CompletionResult]::new('--shared', '--shared', [CompletionResultType]::ParameterName, 'Delete shared credentials from Vault without asking (every machine loses them); with `--all` and without it off a terminal, only this machine''s files and view are removed')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt (also when stdin is not a terminal or `CI` is set)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what lanyard does (repeatable); never prints secrets')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what lanyard does (repeatable); never prints secrets')
            [CompletionResult]::new('--ignore-env', '--ignore-env', [CompletionResultType]::ParameterName, 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'lanyard;token' {
            [CompletionResult]::new('--min-valid', '--min-valid', [CompletionResultType]::ParameterName, 'Refresh (or warn) when less than this remains (90s, 15m, 2h)')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'lanyard''s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]')
            [CompletionResult]::new('--nix-conf', '--nix-conf', [CompletionResultType]::ParameterName, 'The user nix.conf to manage [default: found as Nix finds it]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of every network request, in seconds')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)')
            [CompletionResult]::new('--id-token', '--id-token', [CompletionResultType]::ParameterName, 'Print the OpenID ID token instead of the access token')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt (also when stdin is not a terminal or `CI` is set)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what lanyard does (repeatable); never prints secrets')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what lanyard does (repeatable); never prints secrets')
            [CompletionResult]::new('--ignore-env', '--ignore-env', [CompletionResultType]::ParameterName, 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'lanyard;which' {
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'lanyard''s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]')
            [CompletionResult]::new('--nix-conf', '--nix-conf', [CompletionResultType]::ParameterName, 'The user nix.conf to manage [default: found as Nix finds it]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of every network request, in seconds')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt (also when stdin is not a terminal or `CI` is set)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what lanyard does (repeatable); never prints secrets')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what lanyard does (repeatable); never prints secrets')
            [CompletionResult]::new('--ignore-env', '--ignore-env', [CompletionResultType]::ParameterName, 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'lanyard;refresh' {
            [CompletionResult]::new('--min-valid', '--min-valid', [CompletionResultType]::ParameterName, 'Refresh when less than this remains (90s, 15m, 2h); a timer passes its own period')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'lanyard''s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]')
            [CompletionResult]::new('--nix-conf', '--nix-conf', [CompletionResultType]::ParameterName, 'The user nix.conf to manage [default: found as Nix finds it]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of every network request, in seconds')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Refresh every credential (what the Home Manager timer runs)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Refresh even when the token is still fresh')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt (also when stdin is not a terminal or `CI` is set)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what lanyard does (repeatable); never prints secrets')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what lanyard does (repeatable); never prints secrets')
            [CompletionResult]::new('--ignore-env', '--ignore-env', [CompletionResultType]::ParameterName, 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'lanyard;rotate' {
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'lanyard''s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]')
            [CompletionResult]::new('--nix-conf', '--nix-conf', [CompletionResultType]::ParameterName, 'The user nix.conf to manage [default: found as Nix finds it]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of every network request, in seconds')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt (also when stdin is not a terminal or `CI` is set)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what lanyard does (repeatable); never prints secrets')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what lanyard does (repeatable); never prints secrets')
            [CompletionResult]::new('--ignore-env', '--ignore-env', [CompletionResultType]::ParameterName, 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'lanyard;switch' {
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'lanyard''s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]')
            [CompletionResult]::new('--nix-conf', '--nix-conf', [CompletionResultType]::ParameterName, 'The user nix.conf to manage [default: found as Nix finds it]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of every network request, in seconds')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt (also when stdin is not a terminal or `CI` is set)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what lanyard does (repeatable); never prints secrets')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what lanyard does (repeatable); never prints secrets')
            [CompletionResult]::new('--ignore-env', '--ignore-env', [CompletionResultType]::ParameterName, 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'lanyard;import' {
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'lanyard''s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]')
            [CompletionResult]::new('--nix-conf', '--nix-conf', [CompletionResultType]::ParameterName, 'The user nix.conf to manage [default: found as Nix finds it]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of every network request, in seconds')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Check the candidates with their servers, and store nothing')
            [CompletionResult]::new('--no-nix', '--no-nix', [CompletionResultType]::ParameterName, 'Don''t write the imported tokens to Nix''s access-tokens')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt (also when stdin is not a terminal or `CI` is set)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what lanyard does (repeatable); never prints secrets')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what lanyard does (repeatable); never prints secrets')
            [CompletionResult]::new('--ignore-env', '--ignore-env', [CompletionResultType]::ParameterName, 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'lanyard;providers' {
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'lanyard''s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]')
            [CompletionResult]::new('--nix-conf', '--nix-conf', [CompletionResultType]::ParameterName, 'The user nix.conf to manage [default: found as Nix finds it]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of every network request, in seconds')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON on stdout')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt (also when stdin is not a terminal or `CI` is set)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what lanyard does (repeatable); never prints secrets')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what lanyard does (repeatable); never prints secrets')
            [CompletionResult]::new('--ignore-env', '--ignore-env', [CompletionResultType]::ParameterName, 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'lanyard;exec' {
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, '`VAR=TARGET`, or `VAR=TARGET:password|:user|:id-token` for one part (repeatable)')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'lanyard''s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]')
            [CompletionResult]::new('--nix-conf', '--nix-conf', [CompletionResultType]::ParameterName, 'The user nix.conf to manage [default: found as Nix finds it]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of every network request, in seconds')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt (also when stdin is not a terminal or `CI` is set)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what lanyard does (repeatable); never prints secrets')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what lanyard does (repeatable); never prints secrets')
            [CompletionResult]::new('--ignore-env', '--ignore-env', [CompletionResultType]::ParameterName, 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'lanyard;git-credential' {
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'lanyard''s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]')
            [CompletionResult]::new('--nix-conf', '--nix-conf', [CompletionResultType]::ParameterName, 'The user nix.conf to manage [default: found as Nix finds it]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of every network request, in seconds')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt (also when stdin is not a terminal or `CI` is set)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what lanyard does (repeatable); never prints secrets')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what lanyard does (repeatable); never prints secrets')
            [CompletionResult]::new('--ignore-env', '--ignore-env', [CompletionResultType]::ParameterName, 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'lanyard;setup-git' {
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'lanyard''s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]')
            [CompletionResult]::new('--nix-conf', '--nix-conf', [CompletionResultType]::ParameterName, 'The user nix.conf to manage [default: found as Nix finds it]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of every network request, in seconds')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt (also when stdin is not a terminal or `CI` is set)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what lanyard does (repeatable); never prints secrets')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what lanyard does (repeatable); never prints secrets')
            [CompletionResult]::new('--ignore-env', '--ignore-env', [CompletionResultType]::ParameterName, 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'lanyard;setup-netrc' {
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'The machine name to write it as [default: the credential''s host]')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'lanyard''s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]')
            [CompletionResult]::new('--nix-conf', '--nix-conf', [CompletionResultType]::ParameterName, 'The user nix.conf to manage [default: found as Nix finds it]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of every network request, in seconds')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt (also when stdin is not a terminal or `CI` is set)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what lanyard does (repeatable); never prints secrets')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what lanyard does (repeatable); never prints secrets')
            [CompletionResult]::new('--ignore-env', '--ignore-env', [CompletionResultType]::ParameterName, 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'lanyard;setup-npm' {
            [CompletionResult]::new('--registry', '--registry', [CompletionResultType]::ParameterName, 'The npm registry URL [default: the forge''s: npm.pkg.github.com, GitLab''s or Gitea''s packages]')
            [CompletionResult]::new('--owner', '--owner', [CompletionResultType]::ParameterName, 'The owner whose Gitea/Forgejo packages to use [default: the account]')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'lanyard''s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]')
            [CompletionResult]::new('--nix-conf', '--nix-conf', [CompletionResultType]::ParameterName, 'The user nix.conf to manage [default: found as Nix finds it]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of every network request, in seconds')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)')
            [CompletionResult]::new('--pnpm', '--pnpm', [CompletionResultType]::ParameterName, 'For pnpm: a `tokenHelper` line running a launcher that asks lanyard at each run (the token is never written into .npmrc)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt (also when stdin is not a terminal or `CI` is set)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what lanyard does (repeatable); never prints secrets')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what lanyard does (repeatable); never prints secrets')
            [CompletionResult]::new('--ignore-env', '--ignore-env', [CompletionResultType]::ParameterName, 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'lanyard;cargo-credential' {
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'lanyard''s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]')
            [CompletionResult]::new('--nix-conf', '--nix-conf', [CompletionResultType]::ParameterName, 'The user nix.conf to manage [default: found as Nix finds it]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of every network request, in seconds')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)')
            [CompletionResult]::new('--cargo-plugin', '--cargo-plugin', [CompletionResultType]::ParameterName, 'Passed by cargo when it runs a credential provider')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt (also when stdin is not a terminal or `CI` is set)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what lanyard does (repeatable); never prints secrets')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what lanyard does (repeatable); never prints secrets')
            [CompletionResult]::new('--ignore-env', '--ignore-env', [CompletionResultType]::ParameterName, 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'lanyard;setup-cargo' {
            [CompletionResult]::new('--index', '--index', [CompletionResultType]::ParameterName, 'The registry''s index URL (`sparse+https://HOST/…/`)')
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'The credential that answers it [default: the index host''s own, or a family''s]')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'lanyard''s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]')
            [CompletionResult]::new('--nix-conf', '--nix-conf', [CompletionResultType]::ParameterName, 'The user nix.conf to manage [default: found as Nix finds it]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of every network request, in seconds')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt (also when stdin is not a terminal or `CI` is set)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what lanyard does (repeatable); never prints secrets')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what lanyard does (repeatable); never prints secrets')
            [CompletionResult]::new('--ignore-env', '--ignore-env', [CompletionResultType]::ParameterName, 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'lanyard;docker-credential' {
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'lanyard''s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]')
            [CompletionResult]::new('--nix-conf', '--nix-conf', [CompletionResultType]::ParameterName, 'The user nix.conf to manage [default: found as Nix finds it]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of every network request, in seconds')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt (also when stdin is not a terminal or `CI` is set)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what lanyard does (repeatable); never prints secrets')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what lanyard does (repeatable); never prints secrets')
            [CompletionResult]::new('--ignore-env', '--ignore-env', [CompletionResultType]::ParameterName, 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'lanyard;setup-docker' {
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'The credential that answers REGISTRY (for a registry no built-in rule maps)')
            [CompletionResult]::new('--bin-dir', '--bin-dir', [CompletionResultType]::ParameterName, 'Where to put the `docker-credential-lanyard` link [default: beside lanyard when that directory is writable, else ~/.local/bin]')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'lanyard''s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]')
            [CompletionResult]::new('--nix-conf', '--nix-conf', [CompletionResultType]::ParameterName, 'The user nix.conf to manage [default: found as Nix finds it]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of every network request, in seconds')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt (also when stdin is not a terminal or `CI` is set)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what lanyard does (repeatable); never prints secrets')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what lanyard does (repeatable); never prints secrets')
            [CompletionResult]::new('--ignore-env', '--ignore-env', [CompletionResultType]::ParameterName, 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'lanyard;kube-credential' {
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Which token')
            [CompletionResult]::new('--api-version', '--api-version', [CompletionResultType]::ParameterName, 'The ExecCredential version when kubectl does not say (KUBERNETES_EXEC_INFO wins)')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'lanyard''s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]')
            [CompletionResult]::new('--nix-conf', '--nix-conf', [CompletionResultType]::ParameterName, 'The user nix.conf to manage [default: found as Nix finds it]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of every network request, in seconds')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt (also when stdin is not a terminal or `CI` is set)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what lanyard does (repeatable); never prints secrets')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what lanyard does (repeatable); never prints secrets')
            [CompletionResult]::new('--ignore-env', '--ignore-env', [CompletionResultType]::ParameterName, 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'lanyard;setup-kube' {
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The context to point at it [default: the current context]')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'The kubeconfig to change [default: $KUBECONFIG''s first file, else ~/.kube/config]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Which token')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'lanyard''s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]')
            [CompletionResult]::new('--nix-conf', '--nix-conf', [CompletionResultType]::ParameterName, 'The user nix.conf to manage [default: found as Nix finds it]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of every network request, in seconds')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt (also when stdin is not a terminal or `CI` is set)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what lanyard does (repeatable); never prints secrets')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what lanyard does (repeatable); never prints secrets')
            [CompletionResult]::new('--ignore-env', '--ignore-env', [CompletionResultType]::ParameterName, 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'lanyard;unlock' {
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'lanyard''s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]')
            [CompletionResult]::new('--nix-conf', '--nix-conf', [CompletionResultType]::ParameterName, 'The user nix.conf to manage [default: found as Nix finds it]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of every network request, in seconds')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)')
            [CompletionResult]::new('--passphrase-stdin', '--passphrase-stdin', [CompletionResultType]::ParameterName, 'Read the passphrase from stdin (one line) instead of the terminal')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt (also when stdin is not a terminal or `CI` is set)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what lanyard does (repeatable); never prints secrets')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what lanyard does (repeatable); never prints secrets')
            [CompletionResult]::new('--ignore-env', '--ignore-env', [CompletionResultType]::ParameterName, 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'lanyard;lock' {
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'lanyard''s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]')
            [CompletionResult]::new('--nix-conf', '--nix-conf', [CompletionResultType]::ParameterName, 'The user nix.conf to manage [default: found as Nix finds it]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of every network request, in seconds')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt (also when stdin is not a terminal or `CI` is set)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what lanyard does (repeatable); never prints secrets')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what lanyard does (repeatable); never prints secrets')
            [CompletionResult]::new('--ignore-env', '--ignore-env', [CompletionResultType]::ParameterName, 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'lanyard;agent' {
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'lanyard''s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]')
            [CompletionResult]::new('--nix-conf', '--nix-conf', [CompletionResultType]::ParameterName, 'The user nix.conf to manage [default: found as Nix finds it]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of every network request, in seconds')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt (also when stdin is not a terminal or `CI` is set)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what lanyard does (repeatable); never prints secrets')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what lanyard does (repeatable); never prints secrets')
            [CompletionResult]::new('--ignore-env', '--ignore-env', [CompletionResultType]::ParameterName, 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('start', 'start', [CompletionResultType]::ParameterValue, 'Start it in the background (nothing when one runs)')
            [CompletionResult]::new('stop', 'stop', [CompletionResultType]::ParameterValue, 'End it (it forgets every secret)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Say whether it runs, where, and whether it is locked; exit 3 when none runs')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Run it in the foreground (what a systemd user service runs)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'lanyard;agent;start' {
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'lanyard''s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]')
            [CompletionResult]::new('--nix-conf', '--nix-conf', [CompletionResultType]::ParameterName, 'The user nix.conf to manage [default: found as Nix finds it]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of every network request, in seconds')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt (also when stdin is not a terminal or `CI` is set)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what lanyard does (repeatable); never prints secrets')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what lanyard does (repeatable); never prints secrets')
            [CompletionResult]::new('--ignore-env', '--ignore-env', [CompletionResultType]::ParameterName, 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'lanyard;agent;stop' {
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'lanyard''s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]')
            [CompletionResult]::new('--nix-conf', '--nix-conf', [CompletionResultType]::ParameterName, 'The user nix.conf to manage [default: found as Nix finds it]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of every network request, in seconds')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt (also when stdin is not a terminal or `CI` is set)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what lanyard does (repeatable); never prints secrets')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what lanyard does (repeatable); never prints secrets')
            [CompletionResult]::new('--ignore-env', '--ignore-env', [CompletionResultType]::ParameterName, 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'lanyard;agent;status' {
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'lanyard''s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]')
            [CompletionResult]::new('--nix-conf', '--nix-conf', [CompletionResultType]::ParameterName, 'The user nix.conf to manage [default: found as Nix finds it]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of every network request, in seconds')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt (also when stdin is not a terminal or `CI` is set)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what lanyard does (repeatable); never prints secrets')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what lanyard does (repeatable); never prints secrets')
            [CompletionResult]::new('--ignore-env', '--ignore-env', [CompletionResultType]::ParameterName, 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'lanyard;agent;run' {
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'lanyard''s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]')
            [CompletionResult]::new('--nix-conf', '--nix-conf', [CompletionResultType]::ParameterName, 'The user nix.conf to manage [default: found as Nix finds it]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of every network request, in seconds')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)')
            [CompletionResult]::new('--inherit-socket', '--inherit-socket', [CompletionResultType]::ParameterName, 'Serve on the listening socket systemd passes as stdin (`StandardInput=socket`)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt (also when stdin is not a terminal or `CI` is set)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what lanyard does (repeatable); never prints secrets')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what lanyard does (repeatable); never prints secrets')
            [CompletionResult]::new('--ignore-env', '--ignore-env', [CompletionResultType]::ParameterName, 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'lanyard;agent;help' {
            [CompletionResult]::new('start', 'start', [CompletionResultType]::ParameterValue, 'Start it in the background (nothing when one runs)')
            [CompletionResult]::new('stop', 'stop', [CompletionResultType]::ParameterValue, 'End it (it forgets every secret)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Say whether it runs, where, and whether it is locked; exit 3 when none runs')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Run it in the foreground (what a systemd user service runs)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'lanyard;agent;help;start' {
            break
        }
        'lanyard;agent;help;stop' {
            break
        }
        'lanyard;agent;help;status' {
            break
        }
        'lanyard;agent;help;run' {
            break
        }
        'lanyard;agent;help;help' {
            break
        }
        'lanyard;storage' {
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'lanyard''s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]')
            [CompletionResult]::new('--nix-conf', '--nix-conf', [CompletionResultType]::ParameterName, 'The user nix.conf to manage [default: found as Nix finds it]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of every network request, in seconds')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt (also when stdin is not a terminal or `CI` is set)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what lanyard does (repeatable); never prints secrets')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what lanyard does (repeatable); never prints secrets')
            [CompletionResult]::new('--ignore-env', '--ignore-env', [CompletionResultType]::ParameterName, 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('migrate', 'migrate', [CompletionResultType]::ParameterValue, 'Move every credential of this machine to KIND and make it the configured storage')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'lanyard;storage;migrate' {
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Where to: keyring, encrypted or file')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'lanyard''s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]')
            [CompletionResult]::new('--nix-conf', '--nix-conf', [CompletionResultType]::ParameterName, 'The user nix.conf to manage [default: found as Nix finds it]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of every network request, in seconds')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt (also when stdin is not a terminal or `CI` is set)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what lanyard does (repeatable); never prints secrets')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what lanyard does (repeatable); never prints secrets')
            [CompletionResult]::new('--ignore-env', '--ignore-env', [CompletionResultType]::ParameterName, 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'lanyard;storage;help' {
            [CompletionResult]::new('migrate', 'migrate', [CompletionResultType]::ParameterValue, 'Move every credential of this machine to KIND and make it the configured storage')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'lanyard;storage;help;migrate' {
            break
        }
        'lanyard;storage;help;help' {
            break
        }
        'lanyard;completions' {
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'lanyard''s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]')
            [CompletionResult]::new('--nix-conf', '--nix-conf', [CompletionResultType]::ParameterName, 'The user nix.conf to manage [default: found as Nix finds it]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of every network request, in seconds')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt (also when stdin is not a terminal or `CI` is set)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what lanyard does (repeatable); never prints secrets')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what lanyard does (repeatable); never prints secrets')
            [CompletionResult]::new('--ignore-env', '--ignore-env', [CompletionResultType]::ParameterName, 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'lanyard;man' {
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'lanyard''s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]')
            [CompletionResult]::new('--nix-conf', '--nix-conf', [CompletionResultType]::ParameterName, 'The user nix.conf to manage [default: found as Nix finds it]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of every network request, in seconds')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt (also when stdin is not a terminal or `CI` is set)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what lanyard does (repeatable); never prints secrets')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what lanyard does (repeatable); never prints secrets')
            [CompletionResult]::new('--ignore-env', '--ignore-env', [CompletionResultType]::ParameterName, 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'lanyard;help' {
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Log in to a provider, host or URL (device flow, or a pasted token)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show credentials and check them; the exit code says whether they are usable')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Remove a credential from lanyard and every file it was written to')
            [CompletionResult]::new('token', 'token', [CompletionResultType]::ParameterValue, 'Print a credential''s token on stdout (nothing else)')
            [CompletionResult]::new('which', 'which', [CompletionResultType]::ParameterValue, 'Say which account (or environment token) answers for a target here, and why')
            [CompletionResult]::new('refresh', 'refresh', [CompletionResultType]::ParameterValue, 'Refresh credentials that have a refresh token and expire within --min-valid')
            [CompletionResult]::new('rotate', 'rotate', [CompletionResultType]::ParameterValue, 'Renew a token that cannot refresh where its server allows it (GitLab personal access tokens)')
            [CompletionResult]::new('switch', 'switch', [CompletionResultType]::ParameterValue, 'Make another account of a host the active one (what its tools and `token HOST` get)')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Adopt the credentials gh, glab, tea, ~/.netrc, git and Nix already hold')
            [CompletionResult]::new('providers', 'providers', [CompletionResultType]::ParameterValue, 'List the providers lanyard knows')
            [CompletionResult]::new('exec', 'exec', [CompletionResultType]::ParameterValue, 'Run a command with fresh credentials in its environment')
            [CompletionResult]::new('git-credential', 'git-credential', [CompletionResultType]::ParameterValue, 'git''s credential helper protocol on stdin/stdout (git runs this)')
            [CompletionResult]::new('setup-git', 'setup-git', [CompletionResultType]::ParameterValue, 'Make lanyard git''s credential helper for a host (all hosts without TARGET)')
            [CompletionResult]::new('setup-netrc', 'setup-netrc', [CompletionResultType]::ParameterValue, 'Write a credential into ~/.netrc for curl, pip, uv, Poetry and Go (refresh keeps it fresh)')
            [CompletionResult]::new('setup-npm', 'setup-npm', [CompletionResultType]::ParameterValue, 'Write a credential into ~/.npmrc for its npm registry (refresh keeps it fresh)')
            [CompletionResult]::new('cargo-credential', 'cargo-credential', [CompletionResultType]::ParameterValue, 'cargo''s credential-provider protocol on stdin/stdout (cargo runs this)')
            [CompletionResult]::new('setup-cargo', 'setup-cargo', [CompletionResultType]::ParameterValue, 'Make lanyard the credential provider of a cargo registry (~/.cargo/config.toml)')
            [CompletionResult]::new('docker-credential', 'docker-credential', [CompletionResultType]::ParameterValue, 'docker''s credential-helper protocol on stdin/stdout (docker, podman, skopeo run this)')
            [CompletionResult]::new('setup-docker', 'setup-docker', [CompletionResultType]::ParameterValue, 'Make lanyard the credential helper of container registries (docker, podman, skopeo)')
            [CompletionResult]::new('kube-credential', 'kube-credential', [CompletionResultType]::ParameterValue, 'kubectl''s exec credential plugin: an ExecCredential with a fresh token (kubectl runs this)')
            [CompletionResult]::new('setup-kube', 'setup-kube', [CompletionResultType]::ParameterValue, 'Make kubectl get a context''s token from lanyard (writes the kubeconfig''s exec user)')
            [CompletionResult]::new('unlock', 'unlock', [CompletionResultType]::ParameterValue, 'Open the encrypted store (asks for its passphrase once) and start the agent')
            [CompletionResult]::new('lock', 'lock', [CompletionResultType]::ParameterValue, 'Make the agent forget every secret it holds until `lanyard unlock`')
            [CompletionResult]::new('agent', 'agent', [CompletionResultType]::ParameterValue, 'The agent: a per-user process that holds unlocked secrets in memory')
            [CompletionResult]::new('storage', 'storage', [CompletionResultType]::ParameterValue, 'Move every credential to another storage (all or nothing, with a backup)')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print shell completions')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (roff)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'lanyard;help;login' {
            break
        }
        'lanyard;help;status' {
            break
        }
        'lanyard;help;logout' {
            break
        }
        'lanyard;help;token' {
            break
        }
        'lanyard;help;which' {
            break
        }
        'lanyard;help;refresh' {
            break
        }
        'lanyard;help;rotate' {
            break
        }
        'lanyard;help;switch' {
            break
        }
        'lanyard;help;import' {
            break
        }
        'lanyard;help;providers' {
            break
        }
        'lanyard;help;exec' {
            break
        }
        'lanyard;help;git-credential' {
            break
        }
        'lanyard;help;setup-git' {
            break
        }
        'lanyard;help;setup-netrc' {
            break
        }
        'lanyard;help;setup-npm' {
            break
        }
        'lanyard;help;cargo-credential' {
            break
        }
        'lanyard;help;setup-cargo' {
            break
        }
        'lanyard;help;docker-credential' {
            break
        }
        'lanyard;help;setup-docker' {
            break
        }
        'lanyard;help;kube-credential' {
            break
        }
        'lanyard;help;setup-kube' {
            break
        }
        'lanyard;help;unlock' {
            break
        }
        'lanyard;help;lock' {
            break
        }
        'lanyard;help;agent' {
            [CompletionResult]::new('start', 'start', [CompletionResultType]::ParameterValue, 'Start it in the background (nothing when one runs)')
            [CompletionResult]::new('stop', 'stop', [CompletionResultType]::ParameterValue, 'End it (it forgets every secret)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Say whether it runs, where, and whether it is locked; exit 3 when none runs')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Run it in the foreground (what a systemd user service runs)')
            break
        }
        'lanyard;help;agent;start' {
            break
        }
        'lanyard;help;agent;stop' {
            break
        }
        'lanyard;help;agent;status' {
            break
        }
        'lanyard;help;agent;run' {
            break
        }
        'lanyard;help;storage' {
            [CompletionResult]::new('migrate', 'migrate', [CompletionResultType]::ParameterValue, 'Move every credential of this machine to KIND and make it the configured storage')
            break
        }
        'lanyard;help;storage;migrate' {
            break
        }
        'lanyard;help;completions' {
            break
        }
        'lanyard;help;man' {
            break
        }
        'lanyard;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
