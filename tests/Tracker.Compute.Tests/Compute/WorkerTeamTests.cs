using Tracker.Compute.Compute;

namespace Tracker.Compute.Tests.Compute;

public sealed class WorkerTeamTests
{
    /// <summary>Holds the team: block 0 runs on the caller and waits until released.</summary>
    private sealed class HoldingJob(ManualResetEventSlim entered, ManualResetEventSlim release) : IRowBlockJob
    {
        public void Execute(int block, int start, int end)
        {
            if (block == 0)
            {
                entered.Set();
                release.Wait();
            }
        }
    }

    [Theory]
    [InlineData(LinearModelLoss.Logistic)]
    [InlineData(LinearModelLoss.Squared)]
    public async Task A_busy_team_gives_the_same_bits_as_a_free_one(LinearModelLoss kind)
    {
        // Hosted experiments share one team; a caller that finds it busy must not change the block
        // partition (and so the order of the partial sums), or a seed would not fix the trajectory.
        const int Rows = 10_000,
            Cols = 17;
        var rng = new Random(4);
        var x = Enumerable.Range(0, Rows * Cols).Select(_ => rng.NextDouble() - 0.5).ToArray();
        var y = Enumerable.Range(0, Rows).Select(_ => (double)rng.Next(2)).ToArray();
        var w = Enumerable.Range(0, Cols).Select(_ => rng.NextDouble() - 0.5).ToArray();
        using var team = new WorkerTeam(2);
        var kernel = new LinearModelGradient(Cols, kind, team);

        var free = new double[Cols];
        var freeLoss = kernel.Evaluate(x, y, Rows, w, free);

        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var holder = Task.Run(() => team.Run(new HoldingJob(entered, release), 2));
        entered.Wait();
        var busy = new double[Cols];
        var busyLoss = kernel.Evaluate(x, y, Rows, w, busy);
        release.Set();
        Assert.Equal(2, await holder);

        Assert.Equal(BitConverter.DoubleToInt64Bits(freeLoss), BitConverter.DoubleToInt64Bits(busyLoss));
        Assert.Equal(free.Select(BitConverter.DoubleToInt64Bits), busy.Select(BitConverter.DoubleToInt64Bits));
    }

    [Fact]
    public void Blocks_cover_the_rows_exactly_once()
    {
        for (var blocks = 1; blocks <= 5; blocks++)
        {
            var covered = 0;
            for (var b = 0; b < blocks; b++)
            {
                var (s, e) = WorkerTeam.BlockRange(103, blocks, b);
                Assert.Equal(covered, s);
                covered = e;
            }

            Assert.Equal(103, covered);
        }
    }
}
