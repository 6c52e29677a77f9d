using Cascade.Cli;

return await CommandErrors.InvokeAsync(CascadeCommand.Create(), args);
