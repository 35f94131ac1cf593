using Rerank.Cli;

return CliApp.Run(args);
