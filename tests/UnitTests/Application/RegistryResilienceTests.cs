using Microsoft.EntityFrameworkCore;
using RuralRegistry.Application.Abstractions;
using RuralRegistry.Application.Common;

namespace RuralRegistry.UnitTests.Application;

public sealed class RegistryResilienceTests
{
    /// <summary>The store's exceptions as a detector sees them: a <see cref="TimeoutException"/> stands for a deadlock here.</summary>
    private sealed class Detector : IUniqueViolationDetector
    {
        public bool IsUniqueViolation(DbUpdateException exception) => exception.Message == "unique";

        public bool IsTransient(Exception exception) => exception is TimeoutException;

        public bool IsUnavailable(Exception exception) => exception is InvalidOperationException { Message: var message } && message.StartsWith("outage", StringComparison.Ordinal);
    }

    private readonly RegistryResilience _resilience = new(new Detector());

    [Fact]
    public async Task A_unit_of_work_that_lost_a_race_runs_again_and_is_reset_before_each_new_attempt()
    {
        Exception[] failures = [new DbUpdateConcurrencyException("version"), new DbUpdateException("unique"), new TimeoutException("deadlock")];
        foreach (var failure in failures)
        {
            var (attempts, resets) = (0, 0);

            var result = await _resilience.RunAsync(
                _ => ++attempts < RegistryResilience.Attempts ? throw failure : Task.FromResult(attempts),
                () => resets++,
                CancellationToken.None);

            Assert.Equal(RegistryResilience.Attempts, result);
            Assert.Equal(RegistryResilience.Attempts - 1, resets);
        }
    }

    [Fact]
    public async Task A_unit_of_work_that_keeps_losing_gives_up_after_the_last_attempt_with_the_store_s_exception()
    {
        var attempts = 0;

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => _resilience.RunAsync<int>(
            _ =>
            {
                attempts++;
                throw new DbUpdateConcurrencyException("version");
            },
            () => { },
            CancellationToken.None));

        Assert.Equal(RegistryResilience.Attempts, attempts);
    }

    [Fact]
    public async Task An_import_batch_that_keeps_losing_its_race_runs_again_more_often_than_a_single_write_then_gives_up()
    {
        var (attempts, resets) = (0, 0);

        var result = await _resilience.RunAsync(
            RegistryResilience.ImportBatch,
            _ => ++attempts < RegistryResilience.ImportBatchAttempts ? throw new DbUpdateConcurrencyException("version") : Task.FromResult(attempts),
            () => resets++,
            CancellationToken.None);

        Assert.True(RegistryResilience.ImportBatchAttempts > RegistryResilience.Attempts);
        Assert.Equal((RegistryResilience.ImportBatchAttempts, RegistryResilience.ImportBatchAttempts - 1), (result, resets));

        attempts = 0;
        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => _resilience.RunAsync<int>(
            RegistryResilience.ImportBatch,
            _ =>
            {
                attempts++;
                throw new DbUpdateConcurrencyException("version");
            },
            () => { },
            CancellationToken.None));
        Assert.Equal(RegistryResilience.ImportBatchAttempts, attempts);
    }

    [Fact]
    public async Task A_failure_that_a_new_attempt_cannot_resolve_is_not_retried()
    {
        var (attempts, resets) = (0, 0);

        await Assert.ThrowsAsync<DbUpdateException>(() => _resilience.RunAsync<int>(
            _ =>
            {
                attempts++;
                throw new DbUpdateException("a check constraint");
            },
            () => resets++,
            CancellationToken.None));

        Assert.Equal((1, 0), (attempts, resets));
    }

    [Fact]
    public async Task Only_a_failed_implied_precondition_is_tried_again_and_at_most_three_times()
    {
        var pipeline = _resilience[RegistryResilience.ImplicitPrecondition];
        var attempts = 0;

        var lost = await pipeline.ExecuteAsync(_ =>
        {
            attempts++;
            return ValueTask.FromResult<Result<int>>(Failure.PreconditionFailed("stale"));
        });

        Assert.Equal(FailureKind.PreconditionFailed, lost.Failure?.Kind);
        Assert.Equal(RegistryResilience.Attempts, attempts);

        attempts = 0;
        var won = await pipeline.ExecuteAsync(_ => ValueTask.FromResult<Result<int>>(++attempts < 2 ? Failure.PreconditionFailed("stale") : attempts));
        Assert.Equal((2, 2), (won.Value, attempts));

        attempts = 0;
        var conflict = await pipeline.ExecuteAsync(_ =>
        {
            attempts++;
            return ValueTask.FromResult<Result<int>>(Failure.Conflict("taken"));
        });
        Assert.Equal((FailureKind.Conflict, 1), (conflict.Failure?.Kind, attempts));
    }

    [Fact]
    public async Task An_outage_is_waited_out_within_the_request_budget_then_the_last_failure_goes_to_the_caller()
    {
        var attempts = 0;
        await _resilience.RetryAsync(OutageBudget.Request, _ => ++attempts < 3 ? throw new InvalidOperationException("outage") : ValueTask.CompletedTask, CancellationToken.None);
        Assert.Equal(3, attempts);

        attempts = 0;
        var last = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await _resilience.RetryAsync(OutageBudget.Request, _ => throw new InvalidOperationException($"outage {++attempts}"), CancellationToken.None));
        Assert.Equal("outage 4", last.Message);
        Assert.Equal(4, attempts); // the first attempt and three more
    }

    [Fact]
    public async Task A_lost_race_is_not_an_outage_and_an_outage_is_not_a_lost_race()
    {
        var attempts = 0;
        await Assert.ThrowsAsync<TimeoutException>(async () =>
            await _resilience.RetryAsync(OutageBudget.Background, _ => { attempts++; throw new TimeoutException("deadlock"); }, CancellationToken.None));
        Assert.Equal(1, attempts);

        attempts = 0;
        await Assert.ThrowsAsync<InvalidOperationException>(() => _resilience.RunAsync<int>(
            _ => { attempts++; throw new InvalidOperationException("outage"); }, () => { }, CancellationToken.None));
        Assert.Equal(1, attempts);
        Assert.True(_resilience.IsUnavailable(new InvalidOperationException("outage")));
        Assert.False(_resilience.IsUnavailable(new TimeoutException("deadlock")));
    }
}
