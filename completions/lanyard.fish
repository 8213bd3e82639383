# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_lanyard_global_optspecs
    string join \n config-dir= nix-conf= no-input timeout= q/quiet v/verbose ignore-env color= h/help V/version
end

function __fish_lanyard_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_lanyard_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_lanyard_using_subcommand
    set -l cmd (__fish_lanyard_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c lanyard -n "__fish_lanyard_needs_command" -l config-dir -d 'lanyard\'s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]' -r -F
complete -c lanyard -n "__fish_lanyard_needs_command" -l nix-conf -d 'The user nix.conf to manage [default: found as Nix finds it]' -r -F
complete -c lanyard -n "__fish_lanyard_needs_command" -l timeout -d 'Timeout of every network request, in seconds' -r
complete -c lanyard -n "__fish_lanyard_needs_command" -l color -d 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)' -r -f -a "auto\t'When stderr is a terminal and `NO_COLOR` is unset'
always\t'Always'
never\t'Never'"
complete -c lanyard -n "__fish_lanyard_needs_command" -l no-input -d 'Never prompt (also when stdin is not a terminal or `CI` is set)'
complete -c lanyard -n "__fish_lanyard_needs_command" -s q -l quiet -d 'Print only errors'
complete -c lanyard -n "__fish_lanyard_needs_command" -s v -l verbose -d 'Print more about what lanyard does (repeatable); never prints secrets'
complete -c lanyard -n "__fish_lanyard_needs_command" -l ignore-env -d 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)'
complete -c lanyard -n "__fish_lanyard_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c lanyard -n "__fish_lanyard_needs_command" -s V -l version -d 'Print version'
complete -c lanyard -n "__fish_lanyard_needs_command" -f -a "login" -d 'Log in to a provider, host or URL (device flow, or a pasted token)'
complete -c lanyard -n "__fish_lanyard_needs_command" -f -a "status" -d 'Show credentials and check them; the exit code says whether they are usable'
complete -c lanyard -n "__fish_lanyard_needs_command" -f -a "logout" -d 'Remove a credential from lanyard and every file it was written to'
complete -c lanyard -n "__fish_lanyard_needs_command" -f -a "token" -d 'Print a credential\'s token on stdout (nothing else)'
complete -c lanyard -n "__fish_lanyard_needs_command" -f -a "which" -d 'Say which account (or environment token) answers for a target here, and why'
complete -c lanyard -n "__fish_lanyard_needs_command" -f -a "refresh" -d 'Refresh credentials that have a refresh token and expire within --min-valid'
complete -c lanyard -n "__fish_lanyard_needs_command" -f -a "rotate" -d 'Renew a token that cannot refresh where its server allows it (GitLab personal access tokens)'
complete -c lanyard -n "__fish_lanyard_needs_command" -f -a "switch" -d 'Make another account of a host the active one (what its tools and `token HOST` get)'
complete -c lanyard -n "__fish_lanyard_needs_command" -f -a "import" -d 'Adopt the credentials gh, glab, tea, ~/.netrc, git and Nix already hold'
complete -c lanyard -n "__fish_lanyard_needs_command" -f -a "providers" -d 'List the providers lanyard knows'
complete -c lanyard -n "__fish_lanyard_needs_command" -f -a "exec" -d 'Run a command with fresh credentials in its environment'
complete -c lanyard -n "__fish_lanyard_needs_command" -f -a "git-credential" -d 'git\'s credential helper protocol on stdin/stdout (git runs this)'
complete -c lanyard -n "__fish_lanyard_needs_command" -f -a "setup-git" -d 'Make lanyard git\'s credential helper for a host (all hosts without TARGET)'
complete -c lanyard -n "__fish_lanyard_needs_command" -f -a "setup-netrc" -d 'Write a credential into ~/.netrc for curl, pip, uv, Poetry and Go (refresh keeps it fresh)'
complete -c lanyard -n "__fish_lanyard_needs_command" -f -a "setup-npm" -d 'Write a credential into ~/.npmrc for its npm registry (refresh keeps it fresh)'
complete -c lanyard -n "__fish_lanyard_needs_command" -f -a "cargo-credential" -d 'cargo\'s credential-provider protocol on stdin/stdout (cargo runs this)'
complete -c lanyard -n "__fish_lanyard_needs_command" -f -a "setup-cargo" -d 'Make lanyard the credential provider of a cargo registry (~/.cargo/config.toml)'
complete -c lanyard -n "__fish_lanyard_needs_command" -f -a "docker-credential" -d 'docker\'s credential-helper protocol on stdin/stdout (docker, podman, skopeo run this)'
complete -c lanyard -n "__fish_lanyard_needs_command" -f -a "setup-docker" -d 'Make lanyard the credential helper of container registries (docker, podman, skopeo)'
complete -c lanyard -n "__fish_lanyard_needs_command" -f -a "kube-credential" -d 'kubectl\'s exec credential plugin: an ExecCredential with a fresh token (kubectl runs this)'
complete -c lanyard -n "__fish_lanyard_needs_command" -f -a "setup-kube" -d 'Make kubectl get a context\'s token from lanyard (writes the kubeconfig\'s exec user)'
complete -c lanyard -n "__fish_lanyard_needs_command" -f -a "unlock" -d 'Open the encrypted store (asks for its passphrase once) and start the agent'
complete -c lanyard -n "__fish_lanyard_needs_command" -f -a "lock" -d 'Make the agent forget every secret it holds until `lanyard unlock`'
complete -c lanyard -n "__fish_lanyard_needs_command" -f -a "agent" -d 'The agent: a per-user process that holds unlocked secrets in memory'
complete -c lanyard -n "__fish_lanyard_needs_command" -f -a "storage" -d 'Move every credential to another storage (all or nothing, with a backup)'
complete -c lanyard -n "__fish_lanyard_needs_command" -f -a "completions" -d 'Print shell completions'
complete -c lanyard -n "__fish_lanyard_needs_command" -f -a "man" -d 'Print the man page (roff)'
complete -c lanyard -n "__fish_lanyard_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c lanyard -n "__fish_lanyard_using_subcommand login" -l provider -d 'Protocol family or provider id for a host lanyard does not know' -r -f -a "basic\t''
codeberg\t''
duh\t''
duumbi\t''
forgejo\t''
gitea\t''
github\t''
gitlab\t''
npm\t''
oci\t''
oidc\t''
skillsctl\t''
token\t''"
complete -c lanyard -n "__fish_lanyard_using_subcommand login" -l client-id -d 'OAuth client id for the device flow (overrides the provider file\'s)' -r
complete -c lanyard -n "__fish_lanyard_using_subcommand login" -l scopes -d 'Scopes to ask for (device flow) or name on the token page, comma-separated' -r
complete -c lanyard -n "__fish_lanyard_using_subcommand login" -l user -d 'Account name: an email for duh, a user name for basic auth' -r
complete -c lanyard -n "__fish_lanyard_using_subcommand login" -l name -d 'The duumbi registry name to file the token under in duumbi\'s credentials.toml' -r
complete -c lanyard -n "__fish_lanyard_using_subcommand login" -l credentials-path -d 'Where skillsctl\'s credentials.json goes [default: ~/.config/skillsctl/credentials.json]' -r -F
complete -c lanyard -n "__fish_lanyard_using_subcommand login" -l storage -d 'Where the secret goes: the OS keyring, the plaintext file, or auto (keyring when one answers)' -r -f -a "auto\t'The keyring when one answers, else the encrypted file when it has a key source, else the plaintext file (saying why)'
keyring\t'The keyring, or exit 7'
file\t'The plaintext file'
vault\t'Vault/OpenBao KV v2 (the `[vault]` table), shared by machines'
encrypted\t'The age-encrypted file (`[encrypted]`: an identity file, else a passphrase)'"
complete -c lanyard -n "__fish_lanyard_using_subcommand login" -l config-dir -d 'lanyard\'s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]' -r -F
complete -c lanyard -n "__fish_lanyard_using_subcommand login" -l nix-conf -d 'The user nix.conf to manage [default: found as Nix finds it]' -r -F
complete -c lanyard -n "__fish_lanyard_using_subcommand login" -l timeout -d 'Timeout of every network request, in seconds' -r
complete -c lanyard -n "__fish_lanyard_using_subcommand login" -l color -d 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)' -r -f -a "auto\t'When stderr is a terminal and `NO_COLOR` is unset'
always\t'Always'
never\t'Never'"
complete -c lanyard -n "__fish_lanyard_using_subcommand login" -l with-token -d 'Paste a token instead of the device flow: read from stdin (one line), not a hidden prompt'
complete -c lanyard -n "__fish_lanyard_using_subcommand login" -l device -d 'Use the device flow (RFC 8628), or fail saying why it is impossible'
complete -c lanyard -n "__fish_lanyard_using_subcommand login" -l web -d 'Use the browser flow (authorization code with PKCE), or fail saying why it is impossible'
complete -c lanyard -n "__fish_lanyard_using_subcommand login" -l force -d 'Replace an existing credential without asking'
complete -c lanyard -n "__fish_lanyard_using_subcommand login" -l dry-run -d 'Show what would be written where, and write nothing'
complete -c lanyard -n "__fish_lanyard_using_subcommand login" -l no-browser -d 'Do not open a browser'
complete -c lanyard -n "__fish_lanyard_using_subcommand login" -l with-password -d 'Read the password from stdin (one line) instead of a hidden prompt'
complete -c lanyard -n "__fish_lanyard_using_subcommand login" -l no-nix -d 'Do not write the token into Nix\'s `access-tokens`'
complete -c lanyard -n "__fish_lanyard_using_subcommand login" -l netrc -d 'Also write the credential into ~/.netrc (curl, pip, uv, Poetry, Go), kept fresh'
complete -c lanyard -n "__fish_lanyard_using_subcommand login" -l no-input -d 'Never prompt (also when stdin is not a terminal or `CI` is set)'
complete -c lanyard -n "__fish_lanyard_using_subcommand login" -s q -l quiet -d 'Print only errors'
complete -c lanyard -n "__fish_lanyard_using_subcommand login" -s v -l verbose -d 'Print more about what lanyard does (repeatable); never prints secrets'
complete -c lanyard -n "__fish_lanyard_using_subcommand login" -l ignore-env -d 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)'
complete -c lanyard -n "__fish_lanyard_using_subcommand login" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c lanyard -n "__fish_lanyard_using_subcommand status" -l warn-within -d 'Exit 5 when a credential expires within this time (90s, 15m, 2h, 7d)' -r
complete -c lanyard -n "__fish_lanyard_using_subcommand status" -l config-dir -d 'lanyard\'s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]' -r -F
complete -c lanyard -n "__fish_lanyard_using_subcommand status" -l nix-conf -d 'The user nix.conf to manage [default: found as Nix finds it]' -r -F
complete -c lanyard -n "__fish_lanyard_using_subcommand status" -l timeout -d 'Timeout of every network request, in seconds' -r
complete -c lanyard -n "__fish_lanyard_using_subcommand status" -l color -d 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)' -r -f -a "auto\t'When stderr is a terminal and `NO_COLOR` is unset'
always\t'Always'
never\t'Never'"
complete -c lanyard -n "__fish_lanyard_using_subcommand status" -l offline -d 'Do not ask the servers; judge from what is stored'
complete -c lanyard -n "__fish_lanyard_using_subcommand status" -l json -d 'Print JSON on stdout'
complete -c lanyard -n "__fish_lanyard_using_subcommand status" -l no-input -d 'Never prompt (also when stdin is not a terminal or `CI` is set)'
complete -c lanyard -n "__fish_lanyard_using_subcommand status" -s q -l quiet -d 'Print only errors'
complete -c lanyard -n "__fish_lanyard_using_subcommand status" -s v -l verbose -d 'Print more about what lanyard does (repeatable); never prints secrets'
complete -c lanyard -n "__fish_lanyard_using_subcommand status" -l ignore-env -d 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)'
complete -c lanyard -n "__fish_lanyard_using_subcommand status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c lanyard -n "__fish_lanyard_using_subcommand logout" -l config-dir -d 'lanyard\'s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]' -r -F
complete -c lanyard -n "__fish_lanyard_using_subcommand logout" -l nix-conf -d 'The user nix.conf to manage [default: found as Nix finds it]' -r -F
complete -c lanyard -n "__fish_lanyard_using_subcommand logout" -l timeout -d 'Timeout of every network request, in seconds' -r
complete -c lanyard -n "__fish_lanyard_using_subcommand logout" -l color -d 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)' -r -f -a "auto\t'When stderr is a terminal and `NO_COLOR` is unset'
always\t'Always'
never\t'Never'"
complete -c lanyard -n "__fish_lanyard_using_subcommand logout" -l all -d 'Log out of everything'
complete -c lanyard -n "__fish_lanyard_using_subcommand logout" -l revoke -d 'Revoke the token on the server first (RFC 7009, GitLab\'s token API), or say where to'
complete -c lanyard -n "__fish_lanyard_using_subcommand logout" -l dry-run -d 'Show what would be removed, and remove nothing'
complete -c lanyard -n "__fish_lanyard_using_subcommand logout" -l shared -d 'Delete shared credentials from Vault without asking (every machine loses them); with `--all` and without it off a terminal, only this machine\'s files and view are removed'
complete -c lanyard -n "__fish_lanyard_using_subcommand logout" -l no-input -d 'Never prompt (also when stdin is not a terminal or `CI` is set)'
complete -c lanyard -n "__fish_lanyard_using_subcommand logout" -s q -l quiet -d 'Print only errors'
complete -c lanyard -n "__fish_lanyard_using_subcommand logout" -s v -l verbose -d 'Print more about what lanyard does (repeatable); never prints secrets'
complete -c lanyard -n "__fish_lanyard_using_subcommand logout" -l ignore-env -d 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)'
complete -c lanyard -n "__fish_lanyard_using_subcommand logout" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c lanyard -n "__fish_lanyard_using_subcommand token" -l min-valid -d 'Refresh (or warn) when less than this remains (90s, 15m, 2h)' -r
complete -c lanyard -n "__fish_lanyard_using_subcommand token" -l config-dir -d 'lanyard\'s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]' -r -F
complete -c lanyard -n "__fish_lanyard_using_subcommand token" -l nix-conf -d 'The user nix.conf to manage [default: found as Nix finds it]' -r -F
complete -c lanyard -n "__fish_lanyard_using_subcommand token" -l timeout -d 'Timeout of every network request, in seconds' -r
complete -c lanyard -n "__fish_lanyard_using_subcommand token" -l color -d 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)' -r -f -a "auto\t'When stderr is a terminal and `NO_COLOR` is unset'
always\t'Always'
never\t'Never'"
complete -c lanyard -n "__fish_lanyard_using_subcommand token" -l id-token -d 'Print the OpenID ID token instead of the access token'
complete -c lanyard -n "__fish_lanyard_using_subcommand token" -l no-input -d 'Never prompt (also when stdin is not a terminal or `CI` is set)'
complete -c lanyard -n "__fish_lanyard_using_subcommand token" -s q -l quiet -d 'Print only errors'
complete -c lanyard -n "__fish_lanyard_using_subcommand token" -s v -l verbose -d 'Print more about what lanyard does (repeatable); never prints secrets'
complete -c lanyard -n "__fish_lanyard_using_subcommand token" -l ignore-env -d 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)'
complete -c lanyard -n "__fish_lanyard_using_subcommand token" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c lanyard -n "__fish_lanyard_using_subcommand which" -l config-dir -d 'lanyard\'s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]' -r -F
complete -c lanyard -n "__fish_lanyard_using_subcommand which" -l nix-conf -d 'The user nix.conf to manage [default: found as Nix finds it]' -r -F
complete -c lanyard -n "__fish_lanyard_using_subcommand which" -l timeout -d 'Timeout of every network request, in seconds' -r
complete -c lanyard -n "__fish_lanyard_using_subcommand which" -l color -d 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)' -r -f -a "auto\t'When stderr is a terminal and `NO_COLOR` is unset'
always\t'Always'
never\t'Never'"
complete -c lanyard -n "__fish_lanyard_using_subcommand which" -l no-input -d 'Never prompt (also when stdin is not a terminal or `CI` is set)'
complete -c lanyard -n "__fish_lanyard_using_subcommand which" -s q -l quiet -d 'Print only errors'
complete -c lanyard -n "__fish_lanyard_using_subcommand which" -s v -l verbose -d 'Print more about what lanyard does (repeatable); never prints secrets'
complete -c lanyard -n "__fish_lanyard_using_subcommand which" -l ignore-env -d 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)'
complete -c lanyard -n "__fish_lanyard_using_subcommand which" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c lanyard -n "__fish_lanyard_using_subcommand refresh" -l min-valid -d 'Refresh when less than this remains (90s, 15m, 2h); a timer passes its own period' -r
complete -c lanyard -n "__fish_lanyard_using_subcommand refresh" -l config-dir -d 'lanyard\'s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]' -r -F
complete -c lanyard -n "__fish_lanyard_using_subcommand refresh" -l nix-conf -d 'The user nix.conf to manage [default: found as Nix finds it]' -r -F
complete -c lanyard -n "__fish_lanyard_using_subcommand refresh" -l timeout -d 'Timeout of every network request, in seconds' -r
complete -c lanyard -n "__fish_lanyard_using_subcommand refresh" -l color -d 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)' -r -f -a "auto\t'When stderr is a terminal and `NO_COLOR` is unset'
always\t'Always'
never\t'Never'"
complete -c lanyard -n "__fish_lanyard_using_subcommand refresh" -l all -d 'Refresh every credential (what the Home Manager timer runs)'
complete -c lanyard -n "__fish_lanyard_using_subcommand refresh" -l force -d 'Refresh even when the token is still fresh'
complete -c lanyard -n "__fish_lanyard_using_subcommand refresh" -l no-input -d 'Never prompt (also when stdin is not a terminal or `CI` is set)'
complete -c lanyard -n "__fish_lanyard_using_subcommand refresh" -s q -l quiet -d 'Print only errors'
complete -c lanyard -n "__fish_lanyard_using_subcommand refresh" -s v -l verbose -d 'Print more about what lanyard does (repeatable); never prints secrets'
complete -c lanyard -n "__fish_lanyard_using_subcommand refresh" -l ignore-env -d 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)'
complete -c lanyard -n "__fish_lanyard_using_subcommand refresh" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c lanyard -n "__fish_lanyard_using_subcommand rotate" -l config-dir -d 'lanyard\'s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]' -r -F
complete -c lanyard -n "__fish_lanyard_using_subcommand rotate" -l nix-conf -d 'The user nix.conf to manage [default: found as Nix finds it]' -r -F
complete -c lanyard -n "__fish_lanyard_using_subcommand rotate" -l timeout -d 'Timeout of every network request, in seconds' -r
complete -c lanyard -n "__fish_lanyard_using_subcommand rotate" -l color -d 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)' -r -f -a "auto\t'When stderr is a terminal and `NO_COLOR` is unset'
always\t'Always'
never\t'Never'"
complete -c lanyard -n "__fish_lanyard_using_subcommand rotate" -l no-input -d 'Never prompt (also when stdin is not a terminal or `CI` is set)'
complete -c lanyard -n "__fish_lanyard_using_subcommand rotate" -s q -l quiet -d 'Print only errors'
complete -c lanyard -n "__fish_lanyard_using_subcommand rotate" -s v -l verbose -d 'Print more about what lanyard does (repeatable); never prints secrets'
complete -c lanyard -n "__fish_lanyard_using_subcommand rotate" -l ignore-env -d 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)'
complete -c lanyard -n "__fish_lanyard_using_subcommand rotate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c lanyard -n "__fish_lanyard_using_subcommand switch" -l config-dir -d 'lanyard\'s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]' -r -F
complete -c lanyard -n "__fish_lanyard_using_subcommand switch" -l nix-conf -d 'The user nix.conf to manage [default: found as Nix finds it]' -r -F
complete -c lanyard -n "__fish_lanyard_using_subcommand switch" -l timeout -d 'Timeout of every network request, in seconds' -r
complete -c lanyard -n "__fish_lanyard_using_subcommand switch" -l color -d 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)' -r -f -a "auto\t'When stderr is a terminal and `NO_COLOR` is unset'
always\t'Always'
never\t'Never'"
complete -c lanyard -n "__fish_lanyard_using_subcommand switch" -l no-input -d 'Never prompt (also when stdin is not a terminal or `CI` is set)'
complete -c lanyard -n "__fish_lanyard_using_subcommand switch" -s q -l quiet -d 'Print only errors'
complete -c lanyard -n "__fish_lanyard_using_subcommand switch" -s v -l verbose -d 'Print more about what lanyard does (repeatable); never prints secrets'
complete -c lanyard -n "__fish_lanyard_using_subcommand switch" -l ignore-env -d 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)'
complete -c lanyard -n "__fish_lanyard_using_subcommand switch" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c lanyard -n "__fish_lanyard_using_subcommand import" -l config-dir -d 'lanyard\'s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]' -r -F
complete -c lanyard -n "__fish_lanyard_using_subcommand import" -l nix-conf -d 'The user nix.conf to manage [default: found as Nix finds it]' -r -F
complete -c lanyard -n "__fish_lanyard_using_subcommand import" -l timeout -d 'Timeout of every network request, in seconds' -r
complete -c lanyard -n "__fish_lanyard_using_subcommand import" -l color -d 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)' -r -f -a "auto\t'When stderr is a terminal and `NO_COLOR` is unset'
always\t'Always'
never\t'Never'"
complete -c lanyard -n "__fish_lanyard_using_subcommand import" -l dry-run -d 'Check the candidates with their servers, and store nothing'
complete -c lanyard -n "__fish_lanyard_using_subcommand import" -l no-nix -d 'Don\'t write the imported tokens to Nix\'s access-tokens'
complete -c lanyard -n "__fish_lanyard_using_subcommand import" -l no-input -d 'Never prompt (also when stdin is not a terminal or `CI` is set)'
complete -c lanyard -n "__fish_lanyard_using_subcommand import" -s q -l quiet -d 'Print only errors'
complete -c lanyard -n "__fish_lanyard_using_subcommand import" -s v -l verbose -d 'Print more about what lanyard does (repeatable); never prints secrets'
complete -c lanyard -n "__fish_lanyard_using_subcommand import" -l ignore-env -d 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)'
complete -c lanyard -n "__fish_lanyard_using_subcommand import" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c lanyard -n "__fish_lanyard_using_subcommand providers" -l config-dir -d 'lanyard\'s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]' -r -F
complete -c lanyard -n "__fish_lanyard_using_subcommand providers" -l nix-conf -d 'The user nix.conf to manage [default: found as Nix finds it]' -r -F
complete -c lanyard -n "__fish_lanyard_using_subcommand providers" -l timeout -d 'Timeout of every network request, in seconds' -r
complete -c lanyard -n "__fish_lanyard_using_subcommand providers" -l color -d 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)' -r -f -a "auto\t'When stderr is a terminal and `NO_COLOR` is unset'
always\t'Always'
never\t'Never'"
complete -c lanyard -n "__fish_lanyard_using_subcommand providers" -l json -d 'Print JSON on stdout'
complete -c lanyard -n "__fish_lanyard_using_subcommand providers" -l no-input -d 'Never prompt (also when stdin is not a terminal or `CI` is set)'
complete -c lanyard -n "__fish_lanyard_using_subcommand providers" -s q -l quiet -d 'Print only errors'
complete -c lanyard -n "__fish_lanyard_using_subcommand providers" -s v -l verbose -d 'Print more about what lanyard does (repeatable); never prints secrets'
complete -c lanyard -n "__fish_lanyard_using_subcommand providers" -l ignore-env -d 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)'
complete -c lanyard -n "__fish_lanyard_using_subcommand providers" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c lanyard -n "__fish_lanyard_using_subcommand exec" -l env -d '`VAR=TARGET`, or `VAR=TARGET:password|:user|:id-token` for one part (repeatable)' -r
complete -c lanyard -n "__fish_lanyard_using_subcommand exec" -l config-dir -d 'lanyard\'s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]' -r -F
complete -c lanyard -n "__fish_lanyard_using_subcommand exec" -l nix-conf -d 'The user nix.conf to manage [default: found as Nix finds it]' -r -F
complete -c lanyard -n "__fish_lanyard_using_subcommand exec" -l timeout -d 'Timeout of every network request, in seconds' -r
complete -c lanyard -n "__fish_lanyard_using_subcommand exec" -l color -d 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)' -r -f -a "auto\t'When stderr is a terminal and `NO_COLOR` is unset'
always\t'Always'
never\t'Never'"
complete -c lanyard -n "__fish_lanyard_using_subcommand exec" -l no-input -d 'Never prompt (also when stdin is not a terminal or `CI` is set)'
complete -c lanyard -n "__fish_lanyard_using_subcommand exec" -s q -l quiet -d 'Print only errors'
complete -c lanyard -n "__fish_lanyard_using_subcommand exec" -s v -l verbose -d 'Print more about what lanyard does (repeatable); never prints secrets'
complete -c lanyard -n "__fish_lanyard_using_subcommand exec" -l ignore-env -d 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)'
complete -c lanyard -n "__fish_lanyard_using_subcommand exec" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c lanyard -n "__fish_lanyard_using_subcommand git-credential" -l config-dir -d 'lanyard\'s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]' -r -F
complete -c lanyard -n "__fish_lanyard_using_subcommand git-credential" -l nix-conf -d 'The user nix.conf to manage [default: found as Nix finds it]' -r -F
complete -c lanyard -n "__fish_lanyard_using_subcommand git-credential" -l timeout -d 'Timeout of every network request, in seconds' -r
complete -c lanyard -n "__fish_lanyard_using_subcommand git-credential" -l color -d 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)' -r -f -a "auto\t'When stderr is a terminal and `NO_COLOR` is unset'
always\t'Always'
never\t'Never'"
complete -c lanyard -n "__fish_lanyard_using_subcommand git-credential" -l no-input -d 'Never prompt (also when stdin is not a terminal or `CI` is set)'
complete -c lanyard -n "__fish_lanyard_using_subcommand git-credential" -s q -l quiet -d 'Print only errors'
complete -c lanyard -n "__fish_lanyard_using_subcommand git-credential" -s v -l verbose -d 'Print more about what lanyard does (repeatable); never prints secrets'
complete -c lanyard -n "__fish_lanyard_using_subcommand git-credential" -l ignore-env -d 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)'
complete -c lanyard -n "__fish_lanyard_using_subcommand git-credential" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c lanyard -n "__fish_lanyard_using_subcommand setup-git" -l config-dir -d 'lanyard\'s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]' -r -F
complete -c lanyard -n "__fish_lanyard_using_subcommand setup-git" -l nix-conf -d 'The user nix.conf to manage [default: found as Nix finds it]' -r -F
complete -c lanyard -n "__fish_lanyard_using_subcommand setup-git" -l timeout -d 'Timeout of every network request, in seconds' -r
complete -c lanyard -n "__fish_lanyard_using_subcommand setup-git" -l color -d 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)' -r -f -a "auto\t'When stderr is a terminal and `NO_COLOR` is unset'
always\t'Always'
never\t'Never'"
complete -c lanyard -n "__fish_lanyard_using_subcommand setup-git" -l no-input -d 'Never prompt (also when stdin is not a terminal or `CI` is set)'
complete -c lanyard -n "__fish_lanyard_using_subcommand setup-git" -s q -l quiet -d 'Print only errors'
complete -c lanyard -n "__fish_lanyard_using_subcommand setup-git" -s v -l verbose -d 'Print more about what lanyard does (repeatable); never prints secrets'
complete -c lanyard -n "__fish_lanyard_using_subcommand setup-git" -l ignore-env -d 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)'
complete -c lanyard -n "__fish_lanyard_using_subcommand setup-git" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c lanyard -n "__fish_lanyard_using_subcommand setup-netrc" -l host -d 'The machine name to write it as [default: the credential\'s host]' -r
complete -c lanyard -n "__fish_lanyard_using_subcommand setup-netrc" -l config-dir -d 'lanyard\'s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]' -r -F
complete -c lanyard -n "__fish_lanyard_using_subcommand setup-netrc" -l nix-conf -d 'The user nix.conf to manage [default: found as Nix finds it]' -r -F
complete -c lanyard -n "__fish_lanyard_using_subcommand setup-netrc" -l timeout -d 'Timeout of every network request, in seconds' -r
complete -c lanyard -n "__fish_lanyard_using_subcommand setup-netrc" -l color -d 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)' -r -f -a "auto\t'When stderr is a terminal and `NO_COLOR` is unset'
always\t'Always'
never\t'Never'"
complete -c lanyard -n "__fish_lanyard_using_subcommand setup-netrc" -l no-input -d 'Never prompt (also when stdin is not a terminal or `CI` is set)'
complete -c lanyard -n "__fish_lanyard_using_subcommand setup-netrc" -s q -l quiet -d 'Print only errors'
complete -c lanyard -n "__fish_lanyard_using_subcommand setup-netrc" -s v -l verbose -d 'Print more about what lanyard does (repeatable); never prints secrets'
complete -c lanyard -n "__fish_lanyard_using_subcommand setup-netrc" -l ignore-env -d 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)'
complete -c lanyard -n "__fish_lanyard_using_subcommand setup-netrc" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c lanyard -n "__fish_lanyard_using_subcommand setup-npm" -l registry -d 'The npm registry URL [default: the forge\'s: npm.pkg.github.com, GitLab\'s or Gitea\'s packages]' -r
complete -c lanyard -n "__fish_lanyard_using_subcommand setup-npm" -l owner -d 'The owner whose Gitea/Forgejo packages to use [default: the account]' -r
complete -c lanyard -n "__fish_lanyard_using_subcommand setup-npm" -l config-dir -d 'lanyard\'s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]' -r -F
complete -c lanyard -n "__fish_lanyard_using_subcommand setup-npm" -l nix-conf -d 'The user nix.conf to manage [default: found as Nix finds it]' -r -F
complete -c lanyard -n "__fish_lanyard_using_subcommand setup-npm" -l timeout -d 'Timeout of every network request, in seconds' -r
complete -c lanyard -n "__fish_lanyard_using_subcommand setup-npm" -l color -d 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)' -r -f -a "auto\t'When stderr is a terminal and `NO_COLOR` is unset'
always\t'Always'
never\t'Never'"
complete -c lanyard -n "__fish_lanyard_using_subcommand setup-npm" -l pnpm -d 'For pnpm: a `tokenHelper` line running a launcher that asks lanyard at each run (the token is never written into .npmrc)'
complete -c lanyard -n "__fish_lanyard_using_subcommand setup-npm" -l no-input -d 'Never prompt (also when stdin is not a terminal or `CI` is set)'
complete -c lanyard -n "__fish_lanyard_using_subcommand setup-npm" -s q -l quiet -d 'Print only errors'
complete -c lanyard -n "__fish_lanyard_using_subcommand setup-npm" -s v -l verbose -d 'Print more about what lanyard does (repeatable); never prints secrets'
complete -c lanyard -n "__fish_lanyard_using_subcommand setup-npm" -l ignore-env -d 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)'
complete -c lanyard -n "__fish_lanyard_using_subcommand setup-npm" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c lanyard -n "__fish_lanyard_using_subcommand cargo-credential" -l config-dir -d 'lanyard\'s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]' -r -F
complete -c lanyard -n "__fish_lanyard_using_subcommand cargo-credential" -l nix-conf -d 'The user nix.conf to manage [default: found as Nix finds it]' -r -F
complete -c lanyard -n "__fish_lanyard_using_subcommand cargo-credential" -l timeout -d 'Timeout of every network request, in seconds' -r
complete -c lanyard -n "__fish_lanyard_using_subcommand cargo-credential" -l color -d 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)' -r -f -a "auto\t'When stderr is a terminal and `NO_COLOR` is unset'
always\t'Always'
never\t'Never'"
complete -c lanyard -n "__fish_lanyard_using_subcommand cargo-credential" -l cargo-plugin -d 'Passed by cargo when it runs a credential provider'
complete -c lanyard -n "__fish_lanyard_using_subcommand cargo-credential" -l no-input -d 'Never prompt (also when stdin is not a terminal or `CI` is set)'
complete -c lanyard -n "__fish_lanyard_using_subcommand cargo-credential" -s q -l quiet -d 'Print only errors'
complete -c lanyard -n "__fish_lanyard_using_subcommand cargo-credential" -s v -l verbose -d 'Print more about what lanyard does (repeatable); never prints secrets'
complete -c lanyard -n "__fish_lanyard_using_subcommand cargo-credential" -l ignore-env -d 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)'
complete -c lanyard -n "__fish_lanyard_using_subcommand cargo-credential" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c lanyard -n "__fish_lanyard_using_subcommand setup-cargo" -l index -d 'The registry\'s index URL (`sparse+https://HOST/…/`)' -r
complete -c lanyard -n "__fish_lanyard_using_subcommand setup-cargo" -l from -d 'The credential that answers it [default: the index host\'s own, or a family\'s]' -r
complete -c lanyard -n "__fish_lanyard_using_subcommand setup-cargo" -l config-dir -d 'lanyard\'s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]' -r -F
complete -c lanyard -n "__fish_lanyard_using_subcommand setup-cargo" -l nix-conf -d 'The user nix.conf to manage [default: found as Nix finds it]' -r -F
complete -c lanyard -n "__fish_lanyard_using_subcommand setup-cargo" -l timeout -d 'Timeout of every network request, in seconds' -r
complete -c lanyard -n "__fish_lanyard_using_subcommand setup-cargo" -l color -d 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)' -r -f -a "auto\t'When stderr is a terminal and `NO_COLOR` is unset'
always\t'Always'
never\t'Never'"
complete -c lanyard -n "__fish_lanyard_using_subcommand setup-cargo" -l no-input -d 'Never prompt (also when stdin is not a terminal or `CI` is set)'
complete -c lanyard -n "__fish_lanyard_using_subcommand setup-cargo" -s q -l quiet -d 'Print only errors'
complete -c lanyard -n "__fish_lanyard_using_subcommand setup-cargo" -s v -l verbose -d 'Print more about what lanyard does (repeatable); never prints secrets'
complete -c lanyard -n "__fish_lanyard_using_subcommand setup-cargo" -l ignore-env -d 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)'
complete -c lanyard -n "__fish_lanyard_using_subcommand setup-cargo" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c lanyard -n "__fish_lanyard_using_subcommand docker-credential" -l config-dir -d 'lanyard\'s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]' -r -F
complete -c lanyard -n "__fish_lanyard_using_subcommand docker-credential" -l nix-conf -d 'The user nix.conf to manage [default: found as Nix finds it]' -r -F
complete -c lanyard -n "__fish_lanyard_using_subcommand docker-credential" -l timeout -d 'Timeout of every network request, in seconds' -r
complete -c lanyard -n "__fish_lanyard_using_subcommand docker-credential" -l color -d 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)' -r -f -a "auto\t'When stderr is a terminal and `NO_COLOR` is unset'
always\t'Always'
never\t'Never'"
complete -c lanyard -n "__fish_lanyard_using_subcommand docker-credential" -l no-input -d 'Never prompt (also when stdin is not a terminal or `CI` is set)'
complete -c lanyard -n "__fish_lanyard_using_subcommand docker-credential" -s q -l quiet -d 'Print only errors'
complete -c lanyard -n "__fish_lanyard_using_subcommand docker-credential" -s v -l verbose -d 'Print more about what lanyard does (repeatable); never prints secrets'
complete -c lanyard -n "__fish_lanyard_using_subcommand docker-credential" -l ignore-env -d 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)'
complete -c lanyard -n "__fish_lanyard_using_subcommand docker-credential" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c lanyard -n "__fish_lanyard_using_subcommand setup-docker" -l from -d 'The credential that answers REGISTRY (for a registry no built-in rule maps)' -r
complete -c lanyard -n "__fish_lanyard_using_subcommand setup-docker" -l bin-dir -d 'Where to put the `docker-credential-lanyard` link [default: beside lanyard when that directory is writable, else ~/.local/bin]' -r -F
complete -c lanyard -n "__fish_lanyard_using_subcommand setup-docker" -l config-dir -d 'lanyard\'s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]' -r -F
complete -c lanyard -n "__fish_lanyard_using_subcommand setup-docker" -l nix-conf -d 'The user nix.conf to manage [default: found as Nix finds it]' -r -F
complete -c lanyard -n "__fish_lanyard_using_subcommand setup-docker" -l timeout -d 'Timeout of every network request, in seconds' -r
complete -c lanyard -n "__fish_lanyard_using_subcommand setup-docker" -l color -d 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)' -r -f -a "auto\t'When stderr is a terminal and `NO_COLOR` is unset'
always\t'Always'
never\t'Never'"
complete -c lanyard -n "__fish_lanyard_using_subcommand setup-docker" -l no-input -d 'Never prompt (also when stdin is not a terminal or `CI` is set)'
complete -c lanyard -n "__fish_lanyard_using_subcommand setup-docker" -s q -l quiet -d 'Print only errors'
complete -c lanyard -n "__fish_lanyard_using_subcommand setup-docker" -s v -l verbose -d 'Print more about what lanyard does (repeatable); never prints secrets'
complete -c lanyard -n "__fish_lanyard_using_subcommand setup-docker" -l ignore-env -d 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)'
complete -c lanyard -n "__fish_lanyard_using_subcommand setup-docker" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c lanyard -n "__fish_lanyard_using_subcommand kube-credential" -l token -d 'Which token' -r -f -a "id\t'The OpenID ID token (what OIDC clusters check); the access token when there is none'
access\t'The access token'"
complete -c lanyard -n "__fish_lanyard_using_subcommand kube-credential" -l api-version -d 'The ExecCredential version when kubectl does not say (KUBERNETES_EXEC_INFO wins)' -r
complete -c lanyard -n "__fish_lanyard_using_subcommand kube-credential" -l config-dir -d 'lanyard\'s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]' -r -F
complete -c lanyard -n "__fish_lanyard_using_subcommand kube-credential" -l nix-conf -d 'The user nix.conf to manage [default: found as Nix finds it]' -r -F
complete -c lanyard -n "__fish_lanyard_using_subcommand kube-credential" -l timeout -d 'Timeout of every network request, in seconds' -r
complete -c lanyard -n "__fish_lanyard_using_subcommand kube-credential" -l color -d 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)' -r -f -a "auto\t'When stderr is a terminal and `NO_COLOR` is unset'
always\t'Always'
never\t'Never'"
complete -c lanyard -n "__fish_lanyard_using_subcommand kube-credential" -l no-input -d 'Never prompt (also when stdin is not a terminal or `CI` is set)'
complete -c lanyard -n "__fish_lanyard_using_subcommand kube-credential" -s q -l quiet -d 'Print only errors'
complete -c lanyard -n "__fish_lanyard_using_subcommand kube-credential" -s v -l verbose -d 'Print more about what lanyard does (repeatable); never prints secrets'
complete -c lanyard -n "__fish_lanyard_using_subcommand kube-credential" -l ignore-env -d 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)'
complete -c lanyard -n "__fish_lanyard_using_subcommand kube-credential" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c lanyard -n "__fish_lanyard_using_subcommand setup-kube" -l context -d 'The context to point at it [default: the current context]' -r
complete -c lanyard -n "__fish_lanyard_using_subcommand setup-kube" -l kubeconfig -d 'The kubeconfig to change [default: $KUBECONFIG\'s first file, else ~/.kube/config]' -r -F
complete -c lanyard -n "__fish_lanyard_using_subcommand setup-kube" -l token -d 'Which token' -r -f -a "id\t'The OpenID ID token (what OIDC clusters check); the access token when there is none'
access\t'The access token'"
complete -c lanyard -n "__fish_lanyard_using_subcommand setup-kube" -l config-dir -d 'lanyard\'s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]' -r -F
complete -c lanyard -n "__fish_lanyard_using_subcommand setup-kube" -l nix-conf -d 'The user nix.conf to manage [default: found as Nix finds it]' -r -F
complete -c lanyard -n "__fish_lanyard_using_subcommand setup-kube" -l timeout -d 'Timeout of every network request, in seconds' -r
complete -c lanyard -n "__fish_lanyard_using_subcommand setup-kube" -l color -d 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)' -r -f -a "auto\t'When stderr is a terminal and `NO_COLOR` is unset'
always\t'Always'
never\t'Never'"
complete -c lanyard -n "__fish_lanyard_using_subcommand setup-kube" -l no-input -d 'Never prompt (also when stdin is not a terminal or `CI` is set)'
complete -c lanyard -n "__fish_lanyard_using_subcommand setup-kube" -s q -l quiet -d 'Print only errors'
complete -c lanyard -n "__fish_lanyard_using_subcommand setup-kube" -s v -l verbose -d 'Print more about what lanyard does (repeatable); never prints secrets'
complete -c lanyard -n "__fish_lanyard_using_subcommand setup-kube" -l ignore-env -d 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)'
complete -c lanyard -n "__fish_lanyard_using_subcommand setup-kube" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c lanyard -n "__fish_lanyard_using_subcommand unlock" -l config-dir -d 'lanyard\'s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]' -r -F
complete -c lanyard -n "__fish_lanyard_using_subcommand unlock" -l nix-conf -d 'The user nix.conf to manage [default: found as Nix finds it]' -r -F
complete -c lanyard -n "__fish_lanyard_using_subcommand unlock" -l timeout -d 'Timeout of every network request, in seconds' -r
complete -c lanyard -n "__fish_lanyard_using_subcommand unlock" -l color -d 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)' -r -f -a "auto\t'When stderr is a terminal and `NO_COLOR` is unset'
always\t'Always'
never\t'Never'"
complete -c lanyard -n "__fish_lanyard_using_subcommand unlock" -l passphrase-stdin -d 'Read the passphrase from stdin (one line) instead of the terminal'
complete -c lanyard -n "__fish_lanyard_using_subcommand unlock" -l no-input -d 'Never prompt (also when stdin is not a terminal or `CI` is set)'
complete -c lanyard -n "__fish_lanyard_using_subcommand unlock" -s q -l quiet -d 'Print only errors'
complete -c lanyard -n "__fish_lanyard_using_subcommand unlock" -s v -l verbose -d 'Print more about what lanyard does (repeatable); never prints secrets'
complete -c lanyard -n "__fish_lanyard_using_subcommand unlock" -l ignore-env -d 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)'
complete -c lanyard -n "__fish_lanyard_using_subcommand unlock" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c lanyard -n "__fish_lanyard_using_subcommand lock" -l config-dir -d 'lanyard\'s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]' -r -F
complete -c lanyard -n "__fish_lanyard_using_subcommand lock" -l nix-conf -d 'The user nix.conf to manage [default: found as Nix finds it]' -r -F
complete -c lanyard -n "__fish_lanyard_using_subcommand lock" -l timeout -d 'Timeout of every network request, in seconds' -r
complete -c lanyard -n "__fish_lanyard_using_subcommand lock" -l color -d 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)' -r -f -a "auto\t'When stderr is a terminal and `NO_COLOR` is unset'
always\t'Always'
never\t'Never'"
complete -c lanyard -n "__fish_lanyard_using_subcommand lock" -l no-input -d 'Never prompt (also when stdin is not a terminal or `CI` is set)'
complete -c lanyard -n "__fish_lanyard_using_subcommand lock" -s q -l quiet -d 'Print only errors'
complete -c lanyard -n "__fish_lanyard_using_subcommand lock" -s v -l verbose -d 'Print more about what lanyard does (repeatable); never prints secrets'
complete -c lanyard -n "__fish_lanyard_using_subcommand lock" -l ignore-env -d 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)'
complete -c lanyard -n "__fish_lanyard_using_subcommand lock" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c lanyard -n "__fish_lanyard_using_subcommand agent; and not __fish_seen_subcommand_from start stop status run help" -l config-dir -d 'lanyard\'s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]' -r -F
complete -c lanyard -n "__fish_lanyard_using_subcommand agent; and not __fish_seen_subcommand_from start stop status run help" -l nix-conf -d 'The user nix.conf to manage [default: found as Nix finds it]' -r -F
complete -c lanyard -n "__fish_lanyard_using_subcommand agent; and not __fish_seen_subcommand_from start stop status run help" -l timeout -d 'Timeout of every network request, in seconds' -r
complete -c lanyard -n "__fish_lanyard_using_subcommand agent; and not __fish_seen_subcommand_from start stop status run help" -l color -d 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)' -r -f -a "auto\t'When stderr is a terminal and `NO_COLOR` is unset'
always\t'Always'
never\t'Never'"
complete -c lanyard -n "__fish_lanyard_using_subcommand agent; and not __fish_seen_subcommand_from start stop status run help" -l no-input -d 'Never prompt (also when stdin is not a terminal or `CI` is set)'
complete -c lanyard -n "__fish_lanyard_using_subcommand agent; and not __fish_seen_subcommand_from start stop status run help" -s q -l quiet -d 'Print only errors'
complete -c lanyard -n "__fish_lanyard_using_subcommand agent; and not __fish_seen_subcommand_from start stop status run help" -s v -l verbose -d 'Print more about what lanyard does (repeatable); never prints secrets'
complete -c lanyard -n "__fish_lanyard_using_subcommand agent; and not __fish_seen_subcommand_from start stop status run help" -l ignore-env -d 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)'
complete -c lanyard -n "__fish_lanyard_using_subcommand agent; and not __fish_seen_subcommand_from start stop status run help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c lanyard -n "__fish_lanyard_using_subcommand agent; and not __fish_seen_subcommand_from start stop status run help" -f -a "start" -d 'Start it in the background (nothing when one runs)'
complete -c lanyard -n "__fish_lanyard_using_subcommand agent; and not __fish_seen_subcommand_from start stop status run help" -f -a "stop" -d 'End it (it forgets every secret)'
complete -c lanyard -n "__fish_lanyard_using_subcommand agent; and not __fish_seen_subcommand_from start stop status run help" -f -a "status" -d 'Say whether it runs, where, and whether it is locked; exit 3 when none runs'
complete -c lanyard -n "__fish_lanyard_using_subcommand agent; and not __fish_seen_subcommand_from start stop status run help" -f -a "run" -d 'Run it in the foreground (what a systemd user service runs)'
complete -c lanyard -n "__fish_lanyard_using_subcommand agent; and not __fish_seen_subcommand_from start stop status run help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c lanyard -n "__fish_lanyard_using_subcommand agent; and __fish_seen_subcommand_from start" -l config-dir -d 'lanyard\'s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]' -r -F
complete -c lanyard -n "__fish_lanyard_using_subcommand agent; and __fish_seen_subcommand_from start" -l nix-conf -d 'The user nix.conf to manage [default: found as Nix finds it]' -r -F
complete -c lanyard -n "__fish_lanyard_using_subcommand agent; and __fish_seen_subcommand_from start" -l timeout -d 'Timeout of every network request, in seconds' -r
complete -c lanyard -n "__fish_lanyard_using_subcommand agent; and __fish_seen_subcommand_from start" -l color -d 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)' -r -f -a "auto\t'When stderr is a terminal and `NO_COLOR` is unset'
always\t'Always'
never\t'Never'"
complete -c lanyard -n "__fish_lanyard_using_subcommand agent; and __fish_seen_subcommand_from start" -l no-input -d 'Never prompt (also when stdin is not a terminal or `CI` is set)'
complete -c lanyard -n "__fish_lanyard_using_subcommand agent; and __fish_seen_subcommand_from start" -s q -l quiet -d 'Print only errors'
complete -c lanyard -n "__fish_lanyard_using_subcommand agent; and __fish_seen_subcommand_from start" -s v -l verbose -d 'Print more about what lanyard does (repeatable); never prints secrets'
complete -c lanyard -n "__fish_lanyard_using_subcommand agent; and __fish_seen_subcommand_from start" -l ignore-env -d 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)'
complete -c lanyard -n "__fish_lanyard_using_subcommand agent; and __fish_seen_subcommand_from start" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c lanyard -n "__fish_lanyard_using_subcommand agent; and __fish_seen_subcommand_from stop" -l config-dir -d 'lanyard\'s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]' -r -F
complete -c lanyard -n "__fish_lanyard_using_subcommand agent; and __fish_seen_subcommand_from stop" -l nix-conf -d 'The user nix.conf to manage [default: found as Nix finds it]' -r -F
complete -c lanyard -n "__fish_lanyard_using_subcommand agent; and __fish_seen_subcommand_from stop" -l timeout -d 'Timeout of every network request, in seconds' -r
complete -c lanyard -n "__fish_lanyard_using_subcommand agent; and __fish_seen_subcommand_from stop" -l color -d 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)' -r -f -a "auto\t'When stderr is a terminal and `NO_COLOR` is unset'
always\t'Always'
never\t'Never'"
complete -c lanyard -n "__fish_lanyard_using_subcommand agent; and __fish_seen_subcommand_from stop" -l no-input -d 'Never prompt (also when stdin is not a terminal or `CI` is set)'
complete -c lanyard -n "__fish_lanyard_using_subcommand agent; and __fish_seen_subcommand_from stop" -s q -l quiet -d 'Print only errors'
complete -c lanyard -n "__fish_lanyard_using_subcommand agent; and __fish_seen_subcommand_from stop" -s v -l verbose -d 'Print more about what lanyard does (repeatable); never prints secrets'
complete -c lanyard -n "__fish_lanyard_using_subcommand agent; and __fish_seen_subcommand_from stop" -l ignore-env -d 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)'
complete -c lanyard -n "__fish_lanyard_using_subcommand agent; and __fish_seen_subcommand_from stop" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c lanyard -n "__fish_lanyard_using_subcommand agent; and __fish_seen_subcommand_from status" -l config-dir -d 'lanyard\'s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]' -r -F
complete -c lanyard -n "__fish_lanyard_using_subcommand agent; and __fish_seen_subcommand_from status" -l nix-conf -d 'The user nix.conf to manage [default: found as Nix finds it]' -r -F
complete -c lanyard -n "__fish_lanyard_using_subcommand agent; and __fish_seen_subcommand_from status" -l timeout -d 'Timeout of every network request, in seconds' -r
complete -c lanyard -n "__fish_lanyard_using_subcommand agent; and __fish_seen_subcommand_from status" -l color -d 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)' -r -f -a "auto\t'When stderr is a terminal and `NO_COLOR` is unset'
always\t'Always'
never\t'Never'"
complete -c lanyard -n "__fish_lanyard_using_subcommand agent; and __fish_seen_subcommand_from status" -l no-input -d 'Never prompt (also when stdin is not a terminal or `CI` is set)'
complete -c lanyard -n "__fish_lanyard_using_subcommand agent; and __fish_seen_subcommand_from status" -s q -l quiet -d 'Print only errors'
complete -c lanyard -n "__fish_lanyard_using_subcommand agent; and __fish_seen_subcommand_from status" -s v -l verbose -d 'Print more about what lanyard does (repeatable); never prints secrets'
complete -c lanyard -n "__fish_lanyard_using_subcommand agent; and __fish_seen_subcommand_from status" -l ignore-env -d 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)'
complete -c lanyard -n "__fish_lanyard_using_subcommand agent; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c lanyard -n "__fish_lanyard_using_subcommand agent; and __fish_seen_subcommand_from run" -l config-dir -d 'lanyard\'s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]' -r -F
complete -c lanyard -n "__fish_lanyard_using_subcommand agent; and __fish_seen_subcommand_from run" -l nix-conf -d 'The user nix.conf to manage [default: found as Nix finds it]' -r -F
complete -c lanyard -n "__fish_lanyard_using_subcommand agent; and __fish_seen_subcommand_from run" -l timeout -d 'Timeout of every network request, in seconds' -r
complete -c lanyard -n "__fish_lanyard_using_subcommand agent; and __fish_seen_subcommand_from run" -l color -d 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)' -r -f -a "auto\t'When stderr is a terminal and `NO_COLOR` is unset'
always\t'Always'
never\t'Never'"
complete -c lanyard -n "__fish_lanyard_using_subcommand agent; and __fish_seen_subcommand_from run" -l inherit-socket -d 'Serve on the listening socket systemd passes as stdin (`StandardInput=socket`)'
complete -c lanyard -n "__fish_lanyard_using_subcommand agent; and __fish_seen_subcommand_from run" -l no-input -d 'Never prompt (also when stdin is not a terminal or `CI` is set)'
complete -c lanyard -n "__fish_lanyard_using_subcommand agent; and __fish_seen_subcommand_from run" -s q -l quiet -d 'Print only errors'
complete -c lanyard -n "__fish_lanyard_using_subcommand agent; and __fish_seen_subcommand_from run" -s v -l verbose -d 'Print more about what lanyard does (repeatable); never prints secrets'
complete -c lanyard -n "__fish_lanyard_using_subcommand agent; and __fish_seen_subcommand_from run" -l ignore-env -d 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)'
complete -c lanyard -n "__fish_lanyard_using_subcommand agent; and __fish_seen_subcommand_from run" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c lanyard -n "__fish_lanyard_using_subcommand agent; and __fish_seen_subcommand_from help" -f -a "start" -d 'Start it in the background (nothing when one runs)'
complete -c lanyard -n "__fish_lanyard_using_subcommand agent; and __fish_seen_subcommand_from help" -f -a "stop" -d 'End it (it forgets every secret)'
complete -c lanyard -n "__fish_lanyard_using_subcommand agent; and __fish_seen_subcommand_from help" -f -a "status" -d 'Say whether it runs, where, and whether it is locked; exit 3 when none runs'
complete -c lanyard -n "__fish_lanyard_using_subcommand agent; and __fish_seen_subcommand_from help" -f -a "run" -d 'Run it in the foreground (what a systemd user service runs)'
complete -c lanyard -n "__fish_lanyard_using_subcommand agent; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c lanyard -n "__fish_lanyard_using_subcommand storage; and not __fish_seen_subcommand_from migrate help" -l config-dir -d 'lanyard\'s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]' -r -F
complete -c lanyard -n "__fish_lanyard_using_subcommand storage; and not __fish_seen_subcommand_from migrate help" -l nix-conf -d 'The user nix.conf to manage [default: found as Nix finds it]' -r -F
complete -c lanyard -n "__fish_lanyard_using_subcommand storage; and not __fish_seen_subcommand_from migrate help" -l timeout -d 'Timeout of every network request, in seconds' -r
complete -c lanyard -n "__fish_lanyard_using_subcommand storage; and not __fish_seen_subcommand_from migrate help" -l color -d 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)' -r -f -a "auto\t'When stderr is a terminal and `NO_COLOR` is unset'
always\t'Always'
never\t'Never'"
complete -c lanyard -n "__fish_lanyard_using_subcommand storage; and not __fish_seen_subcommand_from migrate help" -l no-input -d 'Never prompt (also when stdin is not a terminal or `CI` is set)'
complete -c lanyard -n "__fish_lanyard_using_subcommand storage; and not __fish_seen_subcommand_from migrate help" -s q -l quiet -d 'Print only errors'
complete -c lanyard -n "__fish_lanyard_using_subcommand storage; and not __fish_seen_subcommand_from migrate help" -s v -l verbose -d 'Print more about what lanyard does (repeatable); never prints secrets'
complete -c lanyard -n "__fish_lanyard_using_subcommand storage; and not __fish_seen_subcommand_from migrate help" -l ignore-env -d 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)'
complete -c lanyard -n "__fish_lanyard_using_subcommand storage; and not __fish_seen_subcommand_from migrate help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c lanyard -n "__fish_lanyard_using_subcommand storage; and not __fish_seen_subcommand_from migrate help" -f -a "migrate" -d 'Move every credential of this machine to KIND and make it the configured storage'
complete -c lanyard -n "__fish_lanyard_using_subcommand storage; and not __fish_seen_subcommand_from migrate help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c lanyard -n "__fish_lanyard_using_subcommand storage; and __fish_seen_subcommand_from migrate" -l to -d 'Where to: keyring, encrypted or file' -r -f -a "auto\t'The keyring when one answers, else the encrypted file when it has a key source, else the plaintext file (saying why)'
keyring\t'The keyring, or exit 7'
file\t'The plaintext file'
vault\t'Vault/OpenBao KV v2 (the `[vault]` table), shared by machines'
encrypted\t'The age-encrypted file (`[encrypted]`: an identity file, else a passphrase)'"
complete -c lanyard -n "__fish_lanyard_using_subcommand storage; and __fish_seen_subcommand_from migrate" -l config-dir -d 'lanyard\'s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]' -r -F
complete -c lanyard -n "__fish_lanyard_using_subcommand storage; and __fish_seen_subcommand_from migrate" -l nix-conf -d 'The user nix.conf to manage [default: found as Nix finds it]' -r -F
complete -c lanyard -n "__fish_lanyard_using_subcommand storage; and __fish_seen_subcommand_from migrate" -l timeout -d 'Timeout of every network request, in seconds' -r
complete -c lanyard -n "__fish_lanyard_using_subcommand storage; and __fish_seen_subcommand_from migrate" -l color -d 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)' -r -f -a "auto\t'When stderr is a terminal and `NO_COLOR` is unset'
always\t'Always'
never\t'Never'"
complete -c lanyard -n "__fish_lanyard_using_subcommand storage; and __fish_seen_subcommand_from migrate" -l no-input -d 'Never prompt (also when stdin is not a terminal or `CI` is set)'
complete -c lanyard -n "__fish_lanyard_using_subcommand storage; and __fish_seen_subcommand_from migrate" -s q -l quiet -d 'Print only errors'
complete -c lanyard -n "__fish_lanyard_using_subcommand storage; and __fish_seen_subcommand_from migrate" -s v -l verbose -d 'Print more about what lanyard does (repeatable); never prints secrets'
complete -c lanyard -n "__fish_lanyard_using_subcommand storage; and __fish_seen_subcommand_from migrate" -l ignore-env -d 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)'
complete -c lanyard -n "__fish_lanyard_using_subcommand storage; and __fish_seen_subcommand_from migrate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c lanyard -n "__fish_lanyard_using_subcommand storage; and __fish_seen_subcommand_from help" -f -a "migrate" -d 'Move every credential of this machine to KIND and make it the configured storage'
complete -c lanyard -n "__fish_lanyard_using_subcommand storage; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c lanyard -n "__fish_lanyard_using_subcommand completions" -l config-dir -d 'lanyard\'s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]' -r -F
complete -c lanyard -n "__fish_lanyard_using_subcommand completions" -l nix-conf -d 'The user nix.conf to manage [default: found as Nix finds it]' -r -F
complete -c lanyard -n "__fish_lanyard_using_subcommand completions" -l timeout -d 'Timeout of every network request, in seconds' -r
complete -c lanyard -n "__fish_lanyard_using_subcommand completions" -l color -d 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)' -r -f -a "auto\t'When stderr is a terminal and `NO_COLOR` is unset'
always\t'Always'
never\t'Never'"
complete -c lanyard -n "__fish_lanyard_using_subcommand completions" -l no-input -d 'Never prompt (also when stdin is not a terminal or `CI` is set)'
complete -c lanyard -n "__fish_lanyard_using_subcommand completions" -s q -l quiet -d 'Print only errors'
complete -c lanyard -n "__fish_lanyard_using_subcommand completions" -s v -l verbose -d 'Print more about what lanyard does (repeatable); never prints secrets'
complete -c lanyard -n "__fish_lanyard_using_subcommand completions" -l ignore-env -d 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)'
complete -c lanyard -n "__fish_lanyard_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c lanyard -n "__fish_lanyard_using_subcommand man" -l config-dir -d 'lanyard\'s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]' -r -F
complete -c lanyard -n "__fish_lanyard_using_subcommand man" -l nix-conf -d 'The user nix.conf to manage [default: found as Nix finds it]' -r -F
complete -c lanyard -n "__fish_lanyard_using_subcommand man" -l timeout -d 'Timeout of every network request, in seconds' -r
complete -c lanyard -n "__fish_lanyard_using_subcommand man" -l color -d 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)' -r -f -a "auto\t'When stderr is a terminal and `NO_COLOR` is unset'
always\t'Always'
never\t'Never'"
complete -c lanyard -n "__fish_lanyard_using_subcommand man" -l no-input -d 'Never prompt (also when stdin is not a terminal or `CI` is set)'
complete -c lanyard -n "__fish_lanyard_using_subcommand man" -s q -l quiet -d 'Print only errors'
complete -c lanyard -n "__fish_lanyard_using_subcommand man" -s v -l verbose -d 'Print more about what lanyard does (repeatable); never prints secrets'
complete -c lanyard -n "__fish_lanyard_using_subcommand man" -l ignore-env -d 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)'
complete -c lanyard -n "__fish_lanyard_using_subcommand man" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c lanyard -n "__fish_lanyard_using_subcommand help; and not __fish_seen_subcommand_from login status logout token which refresh rotate switch import providers exec git-credential setup-git setup-netrc setup-npm cargo-credential setup-cargo docker-credential setup-docker kube-credential setup-kube unlock lock agent storage completions man help" -f -a "login" -d 'Log in to a provider, host or URL (device flow, or a pasted token)'
complete -c lanyard -n "__fish_lanyard_using_subcommand help; and not __fish_seen_subcommand_from login status logout token which refresh rotate switch import providers exec git-credential setup-git setup-netrc setup-npm cargo-credential setup-cargo docker-credential setup-docker kube-credential setup-kube unlock lock agent storage completions man help" -f -a "status" -d 'Show credentials and check them; the exit code says whether they are usable'
complete -c lanyard -n "__fish_lanyard_using_subcommand help; and not __fish_seen_subcommand_from login status logout token which refresh rotate switch import providers exec git-credential setup-git setup-netrc setup-npm cargo-credential setup-cargo docker-credential setup-docker kube-credential setup-kube unlock lock agent storage completions man help" -f -a "logout" -d 'Remove a credential from lanyard and every file it was written to'
complete -c lanyard -n "__fish_lanyard_using_subcommand help; and not __fish_seen_subcommand_from login status logout token which refresh rotate switch import providers exec git-credential setup-git setup-netrc setup-npm cargo-credential setup-cargo docker-credential setup-docker kube-credential setup-kube unlock lock agent storage completions man help" -f -a "token" -d 'Print a credential\'s token on stdout (nothing else)'
complete -c lanyard -n "__fish_lanyard_using_subcommand help; and not __fish_seen_subcommand_from login status logout token which refresh rotate switch import providers exec git-credential setup-git setup-netrc setup-npm cargo-credential setup-cargo docker-credential setup-docker kube-credential setup-kube unlock lock agent storage completions man help" -f -a "which" -d 'Say which account (or environment token) answers for a target here, and why'
complete -c lanyard -n "__fish_lanyard_using_subcommand help; and not __fish_seen_subcommand_from login status logout token which refresh rotate switch import providers exec git-credential setup-git setup-netrc setup-npm cargo-credential setup-cargo docker-credential setup-docker kube-credential setup-kube unlock lock agent storage completions man help" -f -a "refresh" -d 'Refresh credentials that have a refresh token and expire within --min-valid'
complete -c lanyard -n "__fish_lanyard_using_subcommand help; and not __fish_seen_subcommand_from login status logout token which refresh rotate switch import providers exec git-credential setup-git setup-netrc setup-npm cargo-credential setup-cargo docker-credential setup-docker kube-credential setup-kube unlock lock agent storage completions man help" -f -a "rotate" -d 'Renew a token that cannot refresh where its server allows it (GitLab personal access tokens)'
complete -c lanyard -n "__fish_lanyard_using_subcommand help; and not __fish_seen_subcommand_from login status logout token which refresh rotate switch import providers exec git-credential setup-git setup-netrc setup-npm cargo-credential setup-cargo docker-credential setup-docker kube-credential setup-kube unlock lock agent storage completions man help" -f -a "switch" -d 'Make another account of a host the active one (what its tools and `token HOST` get)'
complete -c lanyard -n "__fish_lanyard_using_subcommand help; and not __fish_seen_subcommand_from login status logout token which refresh rotate switch import providers exec git-credential setup-git setup-netrc setup-npm cargo-credential setup-cargo docker-credential setup-docker kube-credential setup-kube unlock lock agent storage completions man help" -f -a "import" -d 'Adopt the credentials gh, glab, tea, ~/.netrc, git and Nix already hold'
complete -c lanyard -n "__fish_lanyard_using_subcommand help; and not __fish_seen_subcommand_from login status logout token which refresh rotate switch import providers exec git-credential setup-git setup-netrc setup-npm cargo-credential setup-cargo docker-credential setup-docker kube-credential setup-kube unlock lock agent storage completions man help" -f -a "providers" -d 'List the providers lanyard knows'
complete -c lanyard -n "__fish_lanyard_using_subcommand help; and not __fish_seen_subcommand_from login status logout token which refresh rotate switch import providers exec git-credential setup-git setup-netrc setup-npm cargo-credential setup-cargo docker-credential setup-docker kube-credential setup-kube unlock lock agent storage completions man help" -f -a "exec" -d 'Run a command with fresh credentials in its environment'
complete -c lanyard -n "__fish_lanyard_using_subcommand help; and not __fish_seen_subcommand_from login status logout token which refresh rotate switch import providers exec git-credential setup-git setup-netrc setup-npm cargo-credential setup-cargo docker-credential setup-docker kube-credential setup-kube unlock lock agent storage completions man help" -f -a "git-credential" -d 'git\'s credential helper protocol on stdin/stdout (git runs this)'
complete -c lanyard -n "__fish_lanyard_using_subcommand help; and not __fish_seen_subcommand_from login status logout token which refresh rotate switch import providers exec git-credential setup-git setup-netrc setup-npm cargo-credential setup-cargo docker-credential setup-docker kube-credential setup-kube unlock lock agent storage completions man help" -f -a "setup-git" -d 'Make lanyard git\'s credential helper for a host (all hosts without TARGET)'
complete -c lanyard -n "__fish_lanyard_using_subcommand help; and not __fish_seen_subcommand_from login status logout token which refresh rotate switch import providers exec git-credential setup-git setup-netrc setup-npm cargo-credential setup-cargo docker-credential setup-docker kube-credential setup-kube unlock lock agent storage completions man help" -f -a "setup-netrc" -d 'Write a credential into ~/.netrc for curl, pip, uv, Poetry and Go (refresh keeps it fresh)'
complete -c lanyard -n "__fish_lanyard_using_subcommand help; and not __fish_seen_subcommand_from login status logout token which refresh rotate switch import providers exec git-credential setup-git setup-netrc setup-npm cargo-credential setup-cargo docker-credential setup-docker kube-credential setup-kube unlock lock agent storage completions man help" -f -a "setup-npm" -d 'Write a credential into ~/.npmrc for its npm registry (refresh keeps it fresh)'
complete -c lanyard -n "__fish_lanyard_using_subcommand help; and not __fish_seen_subcommand_from login status logout token which refresh rotate switch import providers exec git-credential setup-git setup-netrc setup-npm cargo-credential setup-cargo docker-credential setup-docker kube-credential setup-kube unlock lock agent storage completions man help" -f -a "cargo-credential" -d 'cargo\'s credential-provider protocol on stdin/stdout (cargo runs this)'
complete -c lanyard -n "__fish_lanyard_using_subcommand help; and not __fish_seen_subcommand_from login status logout token which refresh rotate switch import providers exec git-credential setup-git setup-netrc setup-npm cargo-credential setup-cargo docker-credential setup-docker kube-credential setup-kube unlock lock agent storage completions man help" -f -a "setup-cargo" -d 'Make lanyard the credential provider of a cargo registry (~/.cargo/config.toml)'
complete -c lanyard -n "__fish_lanyard_using_subcommand help; and not __fish_seen_subcommand_from login status logout token which refresh rotate switch import providers exec git-credential setup-git setup-netrc setup-npm cargo-credential setup-cargo docker-credential setup-docker kube-credential setup-kube unlock lock agent storage completions man help" -f -a "docker-credential" -d 'docker\'s credential-helper protocol on stdin/stdout (docker, podman, skopeo run this)'
complete -c lanyard -n "__fish_lanyard_using_subcommand help; and not __fish_seen_subcommand_from login status logout token which refresh rotate switch import providers exec git-credential setup-git setup-netrc setup-npm cargo-credential setup-cargo docker-credential setup-docker kube-credential setup-kube unlock lock agent storage completions man help" -f -a "setup-docker" -d 'Make lanyard the credential helper of container registries (docker, podman, skopeo)'
complete -c lanyard -n "__fish_lanyard_using_subcommand help; and not __fish_seen_subcommand_from login status logout token which refresh rotate switch import providers exec git-credential setup-git setup-netrc setup-npm cargo-credential setup-cargo docker-credential setup-docker kube-credential setup-kube unlock lock agent storage completions man help" -f -a "kube-credential" -d 'kubectl\'s exec credential plugin: an ExecCredential with a fresh token (kubectl runs this)'
complete -c lanyard -n "__fish_lanyard_using_subcommand help; and not __fish_seen_subcommand_from login status logout token which refresh rotate switch import providers exec git-credential setup-git setup-netrc setup-npm cargo-credential setup-cargo docker-credential setup-docker kube-credential setup-kube unlock lock agent storage completions man help" -f -a "setup-kube" -d 'Make kubectl get a context\'s token from lanyard (writes the kubeconfig\'s exec user)'
complete -c lanyard -n "__fish_lanyard_using_subcommand help; and not __fish_seen_subcommand_from login status logout token which refresh rotate switch import providers exec git-credential setup-git setup-netrc setup-npm cargo-credential setup-cargo docker-credential setup-docker kube-credential setup-kube unlock lock agent storage completions man help" -f -a "unlock" -d 'Open the encrypted store (asks for its passphrase once) and start the agent'
complete -c lanyard -n "__fish_lanyard_using_subcommand help; and not __fish_seen_subcommand_from login status logout token which refresh rotate switch import providers exec git-credential setup-git setup-netrc setup-npm cargo-credential setup-cargo docker-credential setup-docker kube-credential setup-kube unlock lock agent storage completions man help" -f -a "lock" -d 'Make the agent forget every secret it holds until `lanyard unlock`'
complete -c lanyard -n "__fish_lanyard_using_subcommand help; and not __fish_seen_subcommand_from login status logout token which refresh rotate switch import providers exec git-credential setup-git setup-netrc setup-npm cargo-credential setup-cargo docker-credential setup-docker kube-credential setup-kube unlock lock agent storage completions man help" -f -a "agent" -d 'The agent: a per-user process that holds unlocked secrets in memory'
complete -c lanyard -n "__fish_lanyard_using_subcommand help; and not __fish_seen_subcommand_from login status logout token which refresh rotate switch import providers exec git-credential setup-git setup-netrc setup-npm cargo-credential setup-cargo docker-credential setup-docker kube-credential setup-kube unlock lock agent storage completions man help" -f -a "storage" -d 'Move every credential to another storage (all or nothing, with a backup)'
complete -c lanyard -n "__fish_lanyard_using_subcommand help; and not __fish_seen_subcommand_from login status logout token which refresh rotate switch import providers exec git-credential setup-git setup-netrc setup-npm cargo-credential setup-cargo docker-credential setup-docker kube-credential setup-kube unlock lock agent storage completions man help" -f -a "completions" -d 'Print shell completions'
complete -c lanyard -n "__fish_lanyard_using_subcommand help; and not __fish_seen_subcommand_from login status logout token which refresh rotate switch import providers exec git-credential setup-git setup-netrc setup-npm cargo-credential setup-cargo docker-credential setup-docker kube-credential setup-kube unlock lock agent storage completions man help" -f -a "man" -d 'Print the man page (roff)'
complete -c lanyard -n "__fish_lanyard_using_subcommand help; and not __fish_seen_subcommand_from login status logout token which refresh rotate switch import providers exec git-credential setup-git setup-netrc setup-npm cargo-credential setup-cargo docker-credential setup-docker kube-credential setup-kube unlock lock agent storage completions man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c lanyard -n "__fish_lanyard_using_subcommand help; and __fish_seen_subcommand_from agent" -f -a "start" -d 'Start it in the background (nothing when one runs)'
complete -c lanyard -n "__fish_lanyard_using_subcommand help; and __fish_seen_subcommand_from agent" -f -a "stop" -d 'End it (it forgets every secret)'
complete -c lanyard -n "__fish_lanyard_using_subcommand help; and __fish_seen_subcommand_from agent" -f -a "status" -d 'Say whether it runs, where, and whether it is locked; exit 3 when none runs'
complete -c lanyard -n "__fish_lanyard_using_subcommand help; and __fish_seen_subcommand_from agent" -f -a "run" -d 'Run it in the foreground (what a systemd user service runs)'
complete -c lanyard -n "__fish_lanyard_using_subcommand help; and __fish_seen_subcommand_from storage" -f -a "migrate" -d 'Move every credential of this machine to KIND and make it the configured storage'
