using Tracker.Sdk.Contracts;

namespace Tracker.Sdk.Internal;

/// <summary>First line of a spool file: enough to create or resume the run on upload.</summary>
/// <param name="Spool">Format version (1).</param>
/// <param name="RunId">The run's id.</param>
/// <param name="Project">The project slug.</param>
/// <param name="Resume">The resume mode the run was started with.</param>
/// <param name="Create">The body that creates the run.</param>
internal sealed record SpoolHeader(int Spool, string RunId, string Project, ResumeMode Resume, CreateRunRequest Create);

/// <summary>Last line of a spool file written by a run that ended: the state to set after upload.</summary>
/// <param name="Finish">The final state.</param>
internal sealed record SpoolFinish(RunState Finish);
