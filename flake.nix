{
  description = "lanyard: a terminal credential manager for forges, OpenID servers and registries";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";

  outputs = { self, nixpkgs }:
    let
      systems = [ "x86_64-linux" "aarch64-linux" "x86_64-darwin" "aarch64-darwin" ];
      forAll = f: nixpkgs.lib.genAttrs systems (system: f nixpkgs.legacyPackages.${system});
    in
    {
      packages = forAll (pkgs: rec {
        lanyard = pkgs.rustPlatform.buildRustPackage {
          pname = "lanyard";
          version = "0.1.0";
          src = self;
          cargoLock.lockFile = ./Cargo.lock;
          nativeBuildInputs = [ pkgs.installShellFiles ];
          # The tests' real peers (Nix, oidc-provider, git's server) skip themselves in the sandbox.
          nativeCheckInputs = [ pkgs.git ];
          postInstall = ''
            installShellCompletion --cmd lanyard \
              --bash completions/lanyard.bash \
              --zsh completions/_lanyard \
              --fish completions/lanyard.fish
            $out/bin/lanyard man > lanyard.1
            installManPage lanyard.1
          '';
          meta = {
            description = "Terminal credential manager: device-flow and token logins, written where each tool looks";
            mainProgram = "lanyard";
            license = with pkgs.lib.licenses; [ mit asl20 ];
          };
        };
        default = lanyard;
      });

      checks = forAll (pkgs: {
        # Building the package runs `cargo test` (doCheck is on by default).
        lanyard = self.packages.${pkgs.system}.lanyard;
      });

      devShells = forAll (pkgs: {
        default = pkgs.mkShell {
          inputsFrom = [ self.packages.${pkgs.system}.lanyard ];
          packages = [ pkgs.rust-analyzer pkgs.clippy pkgs.rustfmt pkgs.nodejs pkgs.nix pkgs.hyperfine ];
        };
      });

      # Home Manager: installs lanyard, makes Nix read lanyard's access-tokens.conf, and refreshes
      # tokens on a timer so the files other tools read never hold an expired token.
      homeManagerModules.default = { config, lib, pkgs, ... }:
        let cfg = config.programs.lanyard;
        in {
          options.programs.lanyard = {
            enable = lib.mkEnableOption "lanyard";
            package = lib.mkOption {
              type = lib.types.package;
              default = self.packages.${pkgs.system}.lanyard;
              description = "The lanyard package.";
            };
            nixAccessTokens = lib.mkOption {
              type = lib.types.bool;
              default = true;
              description = ''
                Add `!include access-tokens.conf` to nix.conf (through nix.extraOptions). The file
                holds the tokens and is written by lanyard, never by Nix: no token enters the store.
              '';
            };
            refreshInterval = lib.mkOption {
              type = lib.types.str;
              default = "15min";
              description = "How often `lanyard refresh --all` runs (systemd time span).";
            };
            agent.enable = lib.mkEnableOption ''
              the lanyard agent: a systemd user socket at $XDG_RUNTIME_DIR/lanyard/agent.sock
              (0600 in a 0700 dir) that starts `lanyard agent run` on the first connection. It
              holds unlocked secrets in memory (`lanyard unlock` hands it the passphrase of an
              encrypted store), so `token`, `exec` and `git credential` answers need no keyring
              session or decryption per call; `lanyard lock` or `[agent] idle_lock` (seconds in
              config.toml, default 8 h) make it forget them'';
            vault = lib.mkOption {
              type = lib.types.nullOr (lib.types.submodule {
                options = {
                  address = lib.mkOption { type = lib.types.str; description = "The Vault/OpenBao address."; };
                  mount = lib.mkOption { type = lib.types.str; default = "secret"; description = "The KV v2 mount."; };
                  path = lib.mkOption { type = lib.types.str; default = "lanyard"; description = "The path every machine of the team shares."; };
                  tokenFile = lib.mkOption {
                    type = lib.types.nullOr lib.types.str;
                    default = null;
                    description = "A file holding this machine's Vault token (else VAULT_TOKEN or ~/.vault-token).";
                  };
                };
              });
              default = null;
              description = ''
                Share credentials through Vault/OpenBao KV v2 (`storage = "vault"`): writes
                lanyard's config.toml. The refresh timer then keeps this machine's Nix include in
                step with the shared credential.
              '';
            };
          };
          config = lib.mkIf cfg.enable {
            home.packages = [ cfg.package ];
            xdg.configFile."lanyard/config.toml" = lib.mkIf (cfg.vault != null) {
              text = ''
                storage = "vault"

                [vault]
                address = "${cfg.vault.address}"
                mount = "${cfg.vault.mount}"
                path = "${cfg.vault.path}"
              '' + lib.optionalString (cfg.vault.tokenFile != null) ''
                token_file = "${cfg.vault.tokenFile}"
              '';
            };
            nix.extraOptions = lib.mkIf cfg.nixAccessTokens "!include access-tokens.conf";
            systemd.user.services.lanyard-refresh = {
              Unit.Description = "Refresh lanyard credentials";
              Service = {
                Type = "oneshot";
                ExecStart = "${cfg.package}/bin/lanyard refresh --all --no-input --min-valid 30m";
              };
            };
            systemd.user.sockets.lanyard-agent = lib.mkIf cfg.agent.enable {
              Unit.Description = "lanyard agent socket";
              Socket = {
                ListenStream = "%t/lanyard/agent.sock";
                SocketMode = "0600";
                DirectoryMode = "0700";
              };
              Install.WantedBy = [ "sockets.target" ];
            };
            systemd.user.services.lanyard-agent = lib.mkIf cfg.agent.enable {
              Unit = {
                Description = "lanyard agent: unlocked secrets in memory";
                Requires = [ "lanyard-agent.socket" ];
              };
              Service = {
                # The listening socket arrives as stdin (Accept=no): no fd-passing library needed.
                ExecStart = "${cfg.package}/bin/lanyard agent run --inherit-socket";
                StandardInput = "socket";
                StandardOutput = "journal";
                StandardError = "journal";
              };
            };
            systemd.user.timers.lanyard-refresh = {
              Unit.Description = "Refresh lanyard credentials regularly";
              Timer = {
                OnBootSec = "2min";
                OnUnitActiveSec = cfg.refreshInterval;
                Persistent = true;
              };
              Install.WantedBy = [ "timers.target" ];
            };
          };
        };
    };
}
