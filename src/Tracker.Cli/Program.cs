using Tracker.Cli;

return await TrackerCommands.Create().Parse(args).InvokeAsync();
