package io.tarn.server.admin;

import picocli.AutoComplete;
import picocli.CommandLine.Command;

/**
 * {@code tarn completion}: prints picocli's bash completion script for the whole {@code tarn}
 * command (zsh loads it through {@code bashcompinit}). Only renames picocli's
 * {@code generate-completion} to the name the issue asks for.
 */
@Command(name = "completion", mixinStandardHelpOptions = true, description = {
    "Print a bash/zsh completion script for tarn.",
    "bash: source <(tarn completion)   zsh: autoload -U +X bashcompinit && bashcompinit && source <(tarn completion)"})
public final class CompletionCommand extends AutoComplete.GenerateCompletion {
}
