
use builtin;
use str;

set edit:completion:arg-completer[lanyard] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'lanyard'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'lanyard'= {
            cand --config-dir 'lanyard''s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]'
            cand --nix-conf 'The user nix.conf to manage [default: found as Nix finds it]'
            cand --timeout 'Timeout of every network request, in seconds'
            cand --color 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)'
            cand --no-input 'Never prompt (also when stdin is not a terminal or `CI` is set)'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Print more about what lanyard does (repeatable); never prints secrets'
            cand --verbose 'Print more about what lanyard does (repeatable); never prints secrets'
            cand --ignore-env 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand login 'Log in to a provider, host or URL (device flow, or a pasted token)'
            cand status 'Show credentials and check them; the exit code says whether they are usable'
            cand logout 'Remove a credential from lanyard and every file it was written to'
            cand token 'Print a credential''s token on stdout (nothing else)'
            cand which 'Say which account (or environment token) answers for a target here, and why'
            cand refresh 'Refresh credentials that have a refresh token and expire within --min-valid'
            cand rotate 'Renew a token that cannot refresh where its server allows it (GitLab personal access tokens)'
            cand switch 'Make another account of a host the active one (what its tools and `token HOST` get)'
            cand import 'Adopt the credentials gh, glab, tea, ~/.netrc, git and Nix already hold'
            cand providers 'List the providers lanyard knows'
            cand exec 'Run a command with fresh credentials in its environment'
            cand git-credential 'git''s credential helper protocol on stdin/stdout (git runs this)'
            cand setup-git 'Make lanyard git''s credential helper for a host (all hosts without TARGET)'
            cand setup-netrc 'Write a credential into ~/.netrc for curl, pip, uv, Poetry and Go (refresh keeps it fresh)'
            cand setup-npm 'Write a credential into ~/.npmrc for its npm registry (refresh keeps it fresh)'
            cand cargo-credential 'cargo''s credential-provider protocol on stdin/stdout (cargo runs this)'
            cand setup-cargo 'Make lanyard the credential provider of a cargo registry (~/.cargo/config.toml)'
            cand docker-credential 'docker''s credential-helper protocol on stdin/stdout (docker, podman, skopeo run this)'
            cand setup-docker 'Make lanyard the credential helper of container registries (docker, podman, skopeo)'
            cand kube-credential 'kubectl''s exec credential plugin: an ExecCredential with a fresh token (kubectl runs this)'
            cand setup-kube 'Make kubectl get a context''s token from lanyard (writes the kubeconfig''s exec user)'
            cand unlock 'Open the encrypted store (asks for its passphrase once) and start the agent'
            cand lock 'Make the agent forget every secret it holds until `lanyard unlock`'
            cand agent 'The agent: a per-user process that holds unlocked secrets in memory'
            cand storage 'Move every credential to another storage (all or nothing, with a backup)'
            cand completions 'Print shell completions'
            cand man 'Print the man page (roff)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'lanyard;login'= {
            cand --provider 'Protocol family or provider id for a host lanyard does not know'
            cand --client-id 'OAuth client id for the device flow (overrides the provider file''s)'
            cand --scopes 'Scopes to ask for (device flow) or name on the token page, comma-separated'
            cand --user 'Account name: an email for duh, a user name for basic auth'
            cand --name 'The duumbi registry name to file the token under in duumbi''s credentials.toml'
            cand --credentials-path 'Where skillsctl''s credentials.json goes [default: ~/.config/skillsctl/credentials.json]'
            cand --storage 'Where the secret goes: the OS keyring, the plaintext file, or auto (keyring when one answers)'
            cand --config-dir 'lanyard''s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]'
            cand --nix-conf 'The user nix.conf to manage [default: found as Nix finds it]'
            cand --timeout 'Timeout of every network request, in seconds'
            cand --color 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)'
            cand --with-token 'Paste a token instead of the device flow: read from stdin (one line), not a hidden prompt'
            cand --device 'Use the device flow (RFC 8628), or fail saying why it is impossible'
            cand --web 'Use the browser flow (authorization code with PKCE), or fail saying why it is impossible'
            cand --force 'Replace an existing credential without asking'
            cand --dry-run 'Show what would be written where, and write nothing'
            cand --no-browser 'Do not open a browser'
            cand --with-password 'Read the password from stdin (one line) instead of a hidden prompt'
            cand --no-nix 'Do not write the token into Nix''s `access-tokens`'
            cand --netrc 'Also write the credential into ~/.netrc (curl, pip, uv, Poetry, Go), kept fresh'
            cand --no-input 'Never prompt (also when stdin is not a terminal or `CI` is set)'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Print more about what lanyard does (repeatable); never prints secrets'
            cand --verbose 'Print more about what lanyard does (repeatable); never prints secrets'
            cand --ignore-env 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'lanyard;status'= {
            cand --warn-within 'Exit 5 when a credential expires within this time (90s, 15m, 2h, 7d)'
            cand --config-dir 'lanyard''s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]'
            cand --nix-conf 'The user nix.conf to manage [default: found as Nix finds it]'
            cand --timeout 'Timeout of every network request, in seconds'
            cand --color 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)'
            cand --offline 'Do not ask the servers; judge from what is stored'
            cand --json 'Print JSON on stdout'
            cand --no-input 'Never prompt (also when stdin is not a terminal or `CI` is set)'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Print more about what lanyard does (repeatable); never prints secrets'
            cand --verbose 'Print more about what lanyard does (repeatable); never prints secrets'
            cand --ignore-env 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'lanyard;logout'= {
            cand --config-dir 'lanyard''s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]'
            cand --nix-conf 'The user nix.conf to manage [default: found as Nix finds it]'
            cand --timeout 'Timeout of every network request, in seconds'
            cand --color 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)'
            cand --all 'Log out of everything'
            cand --revoke 'Revoke the token on the server first (RFC 7009, GitLab''s token API), or say where to'
            cand --dry-run 'Show what would be removed, and remove nothing'
            cand --shared 'Delete shared credentials from Vault without asking (every machine loses them); with `--all` and without it off a terminal, only this machine''s files and view are removed'
            cand --no-input 'Never prompt (also when stdin is not a terminal or `CI` is set)'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Print more about what lanyard does (repeatable); never prints secrets'
            cand --verbose 'Print more about what lanyard does (repeatable); never prints secrets'
            cand --ignore-env 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'lanyard;token'= {
            cand --min-valid 'Refresh (or warn) when less than this remains (90s, 15m, 2h)'
            cand --config-dir 'lanyard''s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]'
            cand --nix-conf 'The user nix.conf to manage [default: found as Nix finds it]'
            cand --timeout 'Timeout of every network request, in seconds'
            cand --color 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)'
            cand --id-token 'Print the OpenID ID token instead of the access token'
            cand --no-input 'Never prompt (also when stdin is not a terminal or `CI` is set)'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Print more about what lanyard does (repeatable); never prints secrets'
            cand --verbose 'Print more about what lanyard does (repeatable); never prints secrets'
            cand --ignore-env 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'lanyard;which'= {
            cand --config-dir 'lanyard''s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]'
            cand --nix-conf 'The user nix.conf to manage [default: found as Nix finds it]'
            cand --timeout 'Timeout of every network request, in seconds'
            cand --color 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)'
            cand --no-input 'Never prompt (also when stdin is not a terminal or `CI` is set)'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Print more about what lanyard does (repeatable); never prints secrets'
            cand --verbose 'Print more about what lanyard does (repeatable); never prints secrets'
            cand --ignore-env 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'lanyard;refresh'= {
            cand --min-valid 'Refresh when less than this remains (90s, 15m, 2h); a timer passes its own period'
            cand --config-dir 'lanyard''s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]'
            cand --nix-conf 'The user nix.conf to manage [default: found as Nix finds it]'
            cand --timeout 'Timeout of every network request, in seconds'
            cand --color 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)'
            cand --all 'Refresh every credential (what the Home Manager timer runs)'
            cand --force 'Refresh even when the token is still fresh'
            cand --no-input 'Never prompt (also when stdin is not a terminal or `CI` is set)'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Print more about what lanyard does (repeatable); never prints secrets'
            cand --verbose 'Print more about what lanyard does (repeatable); never prints secrets'
            cand --ignore-env 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'lanyard;rotate'= {
            cand --config-dir 'lanyard''s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]'
            cand --nix-conf 'The user nix.conf to manage [default: found as Nix finds it]'
            cand --timeout 'Timeout of every network request, in seconds'
            cand --color 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)'
            cand --no-input 'Never prompt (also when stdin is not a terminal or `CI` is set)'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Print more about what lanyard does (repeatable); never prints secrets'
            cand --verbose 'Print more about what lanyard does (repeatable); never prints secrets'
            cand --ignore-env 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'lanyard;switch'= {
            cand --config-dir 'lanyard''s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]'
            cand --nix-conf 'The user nix.conf to manage [default: found as Nix finds it]'
            cand --timeout 'Timeout of every network request, in seconds'
            cand --color 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)'
            cand --no-input 'Never prompt (also when stdin is not a terminal or `CI` is set)'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Print more about what lanyard does (repeatable); never prints secrets'
            cand --verbose 'Print more about what lanyard does (repeatable); never prints secrets'
            cand --ignore-env 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'lanyard;import'= {
            cand --config-dir 'lanyard''s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]'
            cand --nix-conf 'The user nix.conf to manage [default: found as Nix finds it]'
            cand --timeout 'Timeout of every network request, in seconds'
            cand --color 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)'
            cand --dry-run 'Check the candidates with their servers, and store nothing'
            cand --no-nix 'Don''t write the imported tokens to Nix''s access-tokens'
            cand --no-input 'Never prompt (also when stdin is not a terminal or `CI` is set)'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Print more about what lanyard does (repeatable); never prints secrets'
            cand --verbose 'Print more about what lanyard does (repeatable); never prints secrets'
            cand --ignore-env 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'lanyard;providers'= {
            cand --config-dir 'lanyard''s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]'
            cand --nix-conf 'The user nix.conf to manage [default: found as Nix finds it]'
            cand --timeout 'Timeout of every network request, in seconds'
            cand --color 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)'
            cand --json 'Print JSON on stdout'
            cand --no-input 'Never prompt (also when stdin is not a terminal or `CI` is set)'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Print more about what lanyard does (repeatable); never prints secrets'
            cand --verbose 'Print more about what lanyard does (repeatable); never prints secrets'
            cand --ignore-env 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'lanyard;exec'= {
            cand --env '`VAR=TARGET`, or `VAR=TARGET:password|:user|:id-token` for one part (repeatable)'
            cand --config-dir 'lanyard''s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]'
            cand --nix-conf 'The user nix.conf to manage [default: found as Nix finds it]'
            cand --timeout 'Timeout of every network request, in seconds'
            cand --color 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)'
            cand --no-input 'Never prompt (also when stdin is not a terminal or `CI` is set)'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Print more about what lanyard does (repeatable); never prints secrets'
            cand --verbose 'Print more about what lanyard does (repeatable); never prints secrets'
            cand --ignore-env 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'lanyard;git-credential'= {
            cand --config-dir 'lanyard''s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]'
            cand --nix-conf 'The user nix.conf to manage [default: found as Nix finds it]'
            cand --timeout 'Timeout of every network request, in seconds'
            cand --color 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)'
            cand --no-input 'Never prompt (also when stdin is not a terminal or `CI` is set)'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Print more about what lanyard does (repeatable); never prints secrets'
            cand --verbose 'Print more about what lanyard does (repeatable); never prints secrets'
            cand --ignore-env 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'lanyard;setup-git'= {
            cand --config-dir 'lanyard''s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]'
            cand --nix-conf 'The user nix.conf to manage [default: found as Nix finds it]'
            cand --timeout 'Timeout of every network request, in seconds'
            cand --color 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)'
            cand --no-input 'Never prompt (also when stdin is not a terminal or `CI` is set)'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Print more about what lanyard does (repeatable); never prints secrets'
            cand --verbose 'Print more about what lanyard does (repeatable); never prints secrets'
            cand --ignore-env 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'lanyard;setup-netrc'= {
            cand --host 'The machine name to write it as [default: the credential''s host]'
            cand --config-dir 'lanyard''s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]'
            cand --nix-conf 'The user nix.conf to manage [default: found as Nix finds it]'
            cand --timeout 'Timeout of every network request, in seconds'
            cand --color 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)'
            cand --no-input 'Never prompt (also when stdin is not a terminal or `CI` is set)'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Print more about what lanyard does (repeatable); never prints secrets'
            cand --verbose 'Print more about what lanyard does (repeatable); never prints secrets'
            cand --ignore-env 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'lanyard;setup-npm'= {
            cand --registry 'The npm registry URL [default: the forge''s: npm.pkg.github.com, GitLab''s or Gitea''s packages]'
            cand --owner 'The owner whose Gitea/Forgejo packages to use [default: the account]'
            cand --config-dir 'lanyard''s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]'
            cand --nix-conf 'The user nix.conf to manage [default: found as Nix finds it]'
            cand --timeout 'Timeout of every network request, in seconds'
            cand --color 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)'
            cand --pnpm 'For pnpm: a `tokenHelper` line running a launcher that asks lanyard at each run (the token is never written into .npmrc)'
            cand --no-input 'Never prompt (also when stdin is not a terminal or `CI` is set)'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Print more about what lanyard does (repeatable); never prints secrets'
            cand --verbose 'Print more about what lanyard does (repeatable); never prints secrets'
            cand --ignore-env 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'lanyard;cargo-credential'= {
            cand --config-dir 'lanyard''s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]'
            cand --nix-conf 'The user nix.conf to manage [default: found as Nix finds it]'
            cand --timeout 'Timeout of every network request, in seconds'
            cand --color 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)'
            cand --cargo-plugin 'Passed by cargo when it runs a credential provider'
            cand --no-input 'Never prompt (also when stdin is not a terminal or `CI` is set)'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Print more about what lanyard does (repeatable); never prints secrets'
            cand --verbose 'Print more about what lanyard does (repeatable); never prints secrets'
            cand --ignore-env 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'lanyard;setup-cargo'= {
            cand --index 'The registry''s index URL (`sparse+https://HOST/…/`)'
            cand --from 'The credential that answers it [default: the index host''s own, or a family''s]'
            cand --config-dir 'lanyard''s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]'
            cand --nix-conf 'The user nix.conf to manage [default: found as Nix finds it]'
            cand --timeout 'Timeout of every network request, in seconds'
            cand --color 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)'
            cand --no-input 'Never prompt (also when stdin is not a terminal or `CI` is set)'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Print more about what lanyard does (repeatable); never prints secrets'
            cand --verbose 'Print more about what lanyard does (repeatable); never prints secrets'
            cand --ignore-env 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'lanyard;docker-credential'= {
            cand --config-dir 'lanyard''s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]'
            cand --nix-conf 'The user nix.conf to manage [default: found as Nix finds it]'
            cand --timeout 'Timeout of every network request, in seconds'
            cand --color 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)'
            cand --no-input 'Never prompt (also when stdin is not a terminal or `CI` is set)'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Print more about what lanyard does (repeatable); never prints secrets'
            cand --verbose 'Print more about what lanyard does (repeatable); never prints secrets'
            cand --ignore-env 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'lanyard;setup-docker'= {
            cand --from 'The credential that answers REGISTRY (for a registry no built-in rule maps)'
            cand --bin-dir 'Where to put the `docker-credential-lanyard` link [default: beside lanyard when that directory is writable, else ~/.local/bin]'
            cand --config-dir 'lanyard''s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]'
            cand --nix-conf 'The user nix.conf to manage [default: found as Nix finds it]'
            cand --timeout 'Timeout of every network request, in seconds'
            cand --color 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)'
            cand --no-input 'Never prompt (also when stdin is not a terminal or `CI` is set)'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Print more about what lanyard does (repeatable); never prints secrets'
            cand --verbose 'Print more about what lanyard does (repeatable); never prints secrets'
            cand --ignore-env 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'lanyard;kube-credential'= {
            cand --token 'Which token'
            cand --api-version 'The ExecCredential version when kubectl does not say (KUBERNETES_EXEC_INFO wins)'
            cand --config-dir 'lanyard''s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]'
            cand --nix-conf 'The user nix.conf to manage [default: found as Nix finds it]'
            cand --timeout 'Timeout of every network request, in seconds'
            cand --color 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)'
            cand --no-input 'Never prompt (also when stdin is not a terminal or `CI` is set)'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Print more about what lanyard does (repeatable); never prints secrets'
            cand --verbose 'Print more about what lanyard does (repeatable); never prints secrets'
            cand --ignore-env 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'lanyard;setup-kube'= {
            cand --context 'The context to point at it [default: the current context]'
            cand --kubeconfig 'The kubeconfig to change [default: $KUBECONFIG''s first file, else ~/.kube/config]'
            cand --token 'Which token'
            cand --config-dir 'lanyard''s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]'
            cand --nix-conf 'The user nix.conf to manage [default: found as Nix finds it]'
            cand --timeout 'Timeout of every network request, in seconds'
            cand --color 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)'
            cand --no-input 'Never prompt (also when stdin is not a terminal or `CI` is set)'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Print more about what lanyard does (repeatable); never prints secrets'
            cand --verbose 'Print more about what lanyard does (repeatable); never prints secrets'
            cand --ignore-env 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'lanyard;unlock'= {
            cand --config-dir 'lanyard''s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]'
            cand --nix-conf 'The user nix.conf to manage [default: found as Nix finds it]'
            cand --timeout 'Timeout of every network request, in seconds'
            cand --color 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)'
            cand --passphrase-stdin 'Read the passphrase from stdin (one line) instead of the terminal'
            cand --no-input 'Never prompt (also when stdin is not a terminal or `CI` is set)'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Print more about what lanyard does (repeatable); never prints secrets'
            cand --verbose 'Print more about what lanyard does (repeatable); never prints secrets'
            cand --ignore-env 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'lanyard;lock'= {
            cand --config-dir 'lanyard''s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]'
            cand --nix-conf 'The user nix.conf to manage [default: found as Nix finds it]'
            cand --timeout 'Timeout of every network request, in seconds'
            cand --color 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)'
            cand --no-input 'Never prompt (also when stdin is not a terminal or `CI` is set)'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Print more about what lanyard does (repeatable); never prints secrets'
            cand --verbose 'Print more about what lanyard does (repeatable); never prints secrets'
            cand --ignore-env 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'lanyard;agent'= {
            cand --config-dir 'lanyard''s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]'
            cand --nix-conf 'The user nix.conf to manage [default: found as Nix finds it]'
            cand --timeout 'Timeout of every network request, in seconds'
            cand --color 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)'
            cand --no-input 'Never prompt (also when stdin is not a terminal or `CI` is set)'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Print more about what lanyard does (repeatable); never prints secrets'
            cand --verbose 'Print more about what lanyard does (repeatable); never prints secrets'
            cand --ignore-env 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand start 'Start it in the background (nothing when one runs)'
            cand stop 'End it (it forgets every secret)'
            cand status 'Say whether it runs, where, and whether it is locked; exit 3 when none runs'
            cand run 'Run it in the foreground (what a systemd user service runs)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'lanyard;agent;start'= {
            cand --config-dir 'lanyard''s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]'
            cand --nix-conf 'The user nix.conf to manage [default: found as Nix finds it]'
            cand --timeout 'Timeout of every network request, in seconds'
            cand --color 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)'
            cand --no-input 'Never prompt (also when stdin is not a terminal or `CI` is set)'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Print more about what lanyard does (repeatable); never prints secrets'
            cand --verbose 'Print more about what lanyard does (repeatable); never prints secrets'
            cand --ignore-env 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'lanyard;agent;stop'= {
            cand --config-dir 'lanyard''s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]'
            cand --nix-conf 'The user nix.conf to manage [default: found as Nix finds it]'
            cand --timeout 'Timeout of every network request, in seconds'
            cand --color 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)'
            cand --no-input 'Never prompt (also when stdin is not a terminal or `CI` is set)'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Print more about what lanyard does (repeatable); never prints secrets'
            cand --verbose 'Print more about what lanyard does (repeatable); never prints secrets'
            cand --ignore-env 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'lanyard;agent;status'= {
            cand --config-dir 'lanyard''s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]'
            cand --nix-conf 'The user nix.conf to manage [default: found as Nix finds it]'
            cand --timeout 'Timeout of every network request, in seconds'
            cand --color 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)'
            cand --no-input 'Never prompt (also when stdin is not a terminal or `CI` is set)'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Print more about what lanyard does (repeatable); never prints secrets'
            cand --verbose 'Print more about what lanyard does (repeatable); never prints secrets'
            cand --ignore-env 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'lanyard;agent;run'= {
            cand --config-dir 'lanyard''s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]'
            cand --nix-conf 'The user nix.conf to manage [default: found as Nix finds it]'
            cand --timeout 'Timeout of every network request, in seconds'
            cand --color 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)'
            cand --inherit-socket 'Serve on the listening socket systemd passes as stdin (`StandardInput=socket`)'
            cand --no-input 'Never prompt (also when stdin is not a terminal or `CI` is set)'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Print more about what lanyard does (repeatable); never prints secrets'
            cand --verbose 'Print more about what lanyard does (repeatable); never prints secrets'
            cand --ignore-env 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'lanyard;agent;help'= {
            cand start 'Start it in the background (nothing when one runs)'
            cand stop 'End it (it forgets every secret)'
            cand status 'Say whether it runs, where, and whether it is locked; exit 3 when none runs'
            cand run 'Run it in the foreground (what a systemd user service runs)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'lanyard;agent;help;start'= {
        }
        &'lanyard;agent;help;stop'= {
        }
        &'lanyard;agent;help;status'= {
        }
        &'lanyard;agent;help;run'= {
        }
        &'lanyard;agent;help;help'= {
        }
        &'lanyard;storage'= {
            cand --config-dir 'lanyard''s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]'
            cand --nix-conf 'The user nix.conf to manage [default: found as Nix finds it]'
            cand --timeout 'Timeout of every network request, in seconds'
            cand --color 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)'
            cand --no-input 'Never prompt (also when stdin is not a terminal or `CI` is set)'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Print more about what lanyard does (repeatable); never prints secrets'
            cand --verbose 'Print more about what lanyard does (repeatable); never prints secrets'
            cand --ignore-env 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand migrate 'Move every credential of this machine to KIND and make it the configured storage'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'lanyard;storage;migrate'= {
            cand --to 'Where to: keyring, encrypted or file'
            cand --config-dir 'lanyard''s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]'
            cand --nix-conf 'The user nix.conf to manage [default: found as Nix finds it]'
            cand --timeout 'Timeout of every network request, in seconds'
            cand --color 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)'
            cand --no-input 'Never prompt (also when stdin is not a terminal or `CI` is set)'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Print more about what lanyard does (repeatable); never prints secrets'
            cand --verbose 'Print more about what lanyard does (repeatable); never prints secrets'
            cand --ignore-env 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'lanyard;storage;help'= {
            cand migrate 'Move every credential of this machine to KIND and make it the configured storage'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'lanyard;storage;help;migrate'= {
        }
        &'lanyard;storage;help;help'= {
        }
        &'lanyard;completions'= {
            cand --config-dir 'lanyard''s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]'
            cand --nix-conf 'The user nix.conf to manage [default: found as Nix finds it]'
            cand --timeout 'Timeout of every network request, in seconds'
            cand --color 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)'
            cand --no-input 'Never prompt (also when stdin is not a terminal or `CI` is set)'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Print more about what lanyard does (repeatable); never prints secrets'
            cand --verbose 'Print more about what lanyard does (repeatable); never prints secrets'
            cand --ignore-env 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'lanyard;man'= {
            cand --config-dir 'lanyard''s config dir [default: $LANYARD_CONFIG_DIR, $XDG_CONFIG_HOME/lanyard, ~/.config/lanyard]'
            cand --nix-conf 'The user nix.conf to manage [default: found as Nix finds it]'
            cand --timeout 'Timeout of every network request, in seconds'
            cand --color 'Colour stderr: auto, always or never (`NO_COLOR` is honoured)'
            cand --no-input 'Never prompt (also when stdin is not a terminal or `CI` is set)'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Print more about what lanyard does (repeatable); never prints secrets'
            cand --verbose 'Print more about what lanyard does (repeatable); never prints secrets'
            cand --ignore-env 'Use no token from the environment (GH_TOKEN, GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN…)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'lanyard;help'= {
            cand login 'Log in to a provider, host or URL (device flow, or a pasted token)'
            cand status 'Show credentials and check them; the exit code says whether they are usable'
            cand logout 'Remove a credential from lanyard and every file it was written to'
            cand token 'Print a credential''s token on stdout (nothing else)'
            cand which 'Say which account (or environment token) answers for a target here, and why'
            cand refresh 'Refresh credentials that have a refresh token and expire within --min-valid'
            cand rotate 'Renew a token that cannot refresh where its server allows it (GitLab personal access tokens)'
            cand switch 'Make another account of a host the active one (what its tools and `token HOST` get)'
            cand import 'Adopt the credentials gh, glab, tea, ~/.netrc, git and Nix already hold'
            cand providers 'List the providers lanyard knows'
            cand exec 'Run a command with fresh credentials in its environment'
            cand git-credential 'git''s credential helper protocol on stdin/stdout (git runs this)'
            cand setup-git 'Make lanyard git''s credential helper for a host (all hosts without TARGET)'
            cand setup-netrc 'Write a credential into ~/.netrc for curl, pip, uv, Poetry and Go (refresh keeps it fresh)'
            cand setup-npm 'Write a credential into ~/.npmrc for its npm registry (refresh keeps it fresh)'
            cand cargo-credential 'cargo''s credential-provider protocol on stdin/stdout (cargo runs this)'
            cand setup-cargo 'Make lanyard the credential provider of a cargo registry (~/.cargo/config.toml)'
            cand docker-credential 'docker''s credential-helper protocol on stdin/stdout (docker, podman, skopeo run this)'
            cand setup-docker 'Make lanyard the credential helper of container registries (docker, podman, skopeo)'
            cand kube-credential 'kubectl''s exec credential plugin: an ExecCredential with a fresh token (kubectl runs this)'
            cand setup-kube 'Make kubectl get a context''s token from lanyard (writes the kubeconfig''s exec user)'
            cand unlock 'Open the encrypted store (asks for its passphrase once) and start the agent'
            cand lock 'Make the agent forget every secret it holds until `lanyard unlock`'
            cand agent 'The agent: a per-user process that holds unlocked secrets in memory'
            cand storage 'Move every credential to another storage (all or nothing, with a backup)'
            cand completions 'Print shell completions'
            cand man 'Print the man page (roff)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'lanyard;help;login'= {
        }
        &'lanyard;help;status'= {
        }
        &'lanyard;help;logout'= {
        }
        &'lanyard;help;token'= {
        }
        &'lanyard;help;which'= {
        }
        &'lanyard;help;refresh'= {
        }
        &'lanyard;help;rotate'= {
        }
        &'lanyard;help;switch'= {
        }
        &'lanyard;help;import'= {
        }
        &'lanyard;help;providers'= {
        }
        &'lanyard;help;exec'= {
        }
        &'lanyard;help;git-credential'= {
        }
        &'lanyard;help;setup-git'= {
        }
        &'lanyard;help;setup-netrc'= {
        }
        &'lanyard;help;setup-npm'= {
        }
        &'lanyard;help;cargo-credential'= {
        }
        &'lanyard;help;setup-cargo'= {
        }
        &'lanyard;help;docker-credential'= {
        }
        &'lanyard;help;setup-docker'= {
        }
        &'lanyard;help;kube-credential'= {
        }
        &'lanyard;help;setup-kube'= {
        }
        &'lanyard;help;unlock'= {
        }
        &'lanyard;help;lock'= {
        }
        &'lanyard;help;agent'= {
            cand start 'Start it in the background (nothing when one runs)'
            cand stop 'End it (it forgets every secret)'
            cand status 'Say whether it runs, where, and whether it is locked; exit 3 when none runs'
            cand run 'Run it in the foreground (what a systemd user service runs)'
        }
        &'lanyard;help;agent;start'= {
        }
        &'lanyard;help;agent;stop'= {
        }
        &'lanyard;help;agent;status'= {
        }
        &'lanyard;help;agent;run'= {
        }
        &'lanyard;help;storage'= {
            cand migrate 'Move every credential of this machine to KIND and make it the configured storage'
        }
        &'lanyard;help;storage;migrate'= {
        }
        &'lanyard;help;completions'= {
        }
        &'lanyard;help;man'= {
        }
        &'lanyard;help;help'= {
        }
    ]
    $completions[$command]
}
