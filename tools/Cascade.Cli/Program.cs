using Cascade.Cli;

PlainConsole.UseWhenRedirected();
return await CommandErrors.InvokeAsync(CascadeCommand.Create(), args);
