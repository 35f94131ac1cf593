using Rerank.Host.Cli;

return CliApp.Run(args);
