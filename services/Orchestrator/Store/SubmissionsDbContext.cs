using System.Text.Json;
using Cascade.Contracts;
using Cascade.Orchestrator.Submissions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Cascade.Orchestrator.Store;

/// <summary>The submissions and the outbox: one schema on PostgreSQL and SQLite.</summary>
public sealed class SubmissionsDbContext(DbContextOptions<SubmissionsDbContext> options) : DbContext(options)
{
    public DbSet<SubmissionRecord> Submissions => Set<SubmissionRecord>();
    public DbSet<OutboxEntry> Outbox => Set<OutboxEntry>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configuration)
    {
        // Unix milliseconds: SQLite cannot compare or order DateTimeOffset, and one representation keeps the
        // providers' schemas alike. Every time is UTC, so the offset is not needed.
        configuration.Properties<DateTimeOffset>().HaveConversion<UnixMillisecondsConverter>();
        configuration.Properties<SubmissionStatus>().HaveConversion<string>().HaveMaxLength(16);
        configuration.Properties<OutboxKind>().HaveConversion<string>().HaveMaxLength(16);
    }

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<SubmissionRecord>(s =>
        {
            s.ToTable("submissions");
            s.HasKey(x => x.Id);
            s.Property(x => x.Version).IsConcurrencyToken();
            s.Property(x => x.ClientRequestId).HasMaxLength(SubmissionLimits.MaxClientRequestIdLength);
            s.Property(x => x.ImageSha256).HasMaxLength(64);
            s.Property(x => x.ImageAddress).HasMaxLength(400);
            s.Property(x => x.ReplyTo).HasMaxLength(SubmissionLimits.MaxReplyToLength);
            s.Property(x => x.TraceId).HasMaxLength(32);
            s.Property(x => x.TraceParent).HasMaxLength(55);
            s.Property(x => x.Gate).HasConversion(new JsonConverter<GateResult>());
            s.Property(x => x.Classifier).HasConversion(new JsonConverter<ClassifierResult>());
            s.HasIndex(x => new { x.Status, x.Deadline });
            s.HasIndex(x => x.FinishedAt);
            s.HasIndex(x => x.ExpiresAt);
        });
        model.Entity<OutboxEntry>(o =>
        {
            o.ToTable("outbox");
            o.HasKey(x => x.Id);
            o.Property(x => x.Destination).HasMaxLength(SubmissionLimits.MaxReplyToLength);
            o.HasIndex(x => x.LeaseUntil);
        });
    }

    private sealed class UnixMillisecondsConverter() : ValueConverter<DateTimeOffset, long>(
        t => t.ToUnixTimeMilliseconds(), ms => DateTimeOffset.FromUnixTimeMilliseconds(ms));

    /// <summary>Stage results as JSON text: they are read and written whole, never queried.</summary>
    private sealed class JsonConverter<T>() : ValueConverter<T?, string?>(
        v => v == null ? null : JsonSerializer.Serialize(v, JsonSerializerOptions.Web),
        s => s == null ? default : JsonSerializer.Deserialize<T>(s, JsonSerializerOptions.Web)) where T : class;
}
