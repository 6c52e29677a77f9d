using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Cascade.Orchestrator.Store;

/// <summary>
/// The store's writes on PostgreSQL, each as one statement: a row's compare-and-set together with the outbox entry it
/// owes (a data-modifying <c>WITH</c>), a new submission with its gate command likewise. One statement is one
/// transaction, so the pair commits together in one round trip instead of BEGIN, the statements and COMMIT, and the
/// change tracker's SaveChanges pipeline is skipped. (SQLite, in process, keeps SaveChanges: it has no
/// data-modifying <c>WITH</c>.) Tables, columns and value conversions come from the EF Core model, so the SQL
/// follows the mapping.
/// </summary>
internal static class PostgresChanges
{
    public static bool AppliesTo(SubmissionsDbContext db) => db.Database.IsNpgsql();

    /// <summary>Inserts <paramref name="submission"/> and <paramref name="owed"/>, and sets the entry's id.</summary>
    /// <exception cref="DbException">The id is taken (a unique violation), or the database failed.</exception>
    public static async Task AddAsync(SubmissionsDbContext db, SubmissionRecord submission, OutboxEntry owed, CancellationToken cancellationToken)
    {
        var statement = new Statement();
        statement.Sql.Append("WITH added AS (");
        statement.AppendInsert(db.Entry(submission), select: null);
        statement.Sql.Append(" RETURNING 1) ");
        statement.AppendInsert(db.Entry(owed), select: "added");
        owed.Id = (long)(await statement.ScalarAsync(db, cancellationToken))!;
    }

    /// <summary>
    /// Writes what changed in the tracked <paramref name="submission"/> where its <see cref="SubmissionRecord.Version"/>
    /// is still the one read, and <paramref name="owed"/> (when not null) only if it did; sets the entry's id.
    /// False when someone else changed the row first: nothing was written.
    /// </summary>
    public static async Task<bool> ChangeAsync(SubmissionsDbContext db, SubmissionRecord submission, OutboxEntry? owed, CancellationToken cancellationToken)
    {
        var row = db.Entry(submission);
        row.DetectChanges();
        var statement = new Statement();
        if (owed is null)
        {
            statement.AppendCompareAndSet(row);
            return await statement.NonQueryAsync(db, cancellationToken) == 1;
        }
        statement.Sql.Append("WITH changed AS (");
        statement.AppendCompareAndSet(row);
        statement.Sql.Append(" RETURNING 1) ");
        statement.AppendInsert(db.Entry(owed), select: "changed");
        if (await statement.ScalarAsync(db, cancellationToken) is not long id) return false;
        owed.Id = id;
        return true;
    }

    /// <summary>Inserts <paramref name="owed"/> alone (a reply owed by a row that does not change), and sets its id.</summary>
    public static async Task OweAsync(SubmissionsDbContext db, OutboxEntry owed, CancellationToken cancellationToken)
    {
        var statement = new Statement();
        statement.AppendInsert(db.Entry(owed), select: null);
        owed.Id = (long)(await statement.ScalarAsync(db, cancellationToken))!;
    }

    /// <summary>SQL text with its parameters, in provider values.</summary>
    private sealed class Statement
    {
        private readonly List<object?> _values = [];

        public StringBuilder Sql { get; } = new();

        /// <summary>
        /// <c>INSERT INTO table (columns) VALUES (...)</c>, or <c>SELECT ... FROM <paramref name="select"/></c> so that it
        /// inserts only when that <c>WITH</c> query returned its row; store-generated keys are left out and returned.
        /// </summary>
        public void AppendInsert(EntityEntry entry, string? select)
        {
            // As in SaveChanges: a key still at its unset value is the database's to generate.
            var generated = entry.Properties.Where(p => p.Metadata.IsPrimaryKey() && p.Metadata.ValueGenerated != ValueGenerated.Never && IsUnset(p)).ToList();
            var properties = entry.Properties.Where(p => !generated.Any(g => g.Metadata == p.Metadata)).ToList();
            Sql.Append("INSERT INTO ").Append(Table(entry.Metadata)).Append(" (")
                .AppendJoin(", ", properties.Select(p => Column(p.Metadata))).Append(select is null ? ") VALUES (" : ") SELECT ");
            Sql.AppendJoin(", ", properties.Select(p => Parameter(p.Metadata, p.CurrentValue)));
            Sql.Append(select is null ? ")" : $" FROM {select}");
            if (generated.Count > 0) Sql.Append(" RETURNING ").AppendJoin(", ", generated.Select(p => Column(p.Metadata)));
        }

        /// <summary><c>UPDATE</c> of the modified columns where the key and the concurrency token are still the ones read.</summary>
        public void AppendCompareAndSet(EntityEntry row)
        {
            Sql.Append("UPDATE ").Append(Table(row.Metadata)).Append(" SET ")
                .AppendJoin(", ", row.Properties.Where(p => p.IsModified).Select(p => $"{Column(p.Metadata)} = {Parameter(p.Metadata, p.CurrentValue)}"));
            Sql.Append(" WHERE ").AppendJoin(" AND ", row.Properties.Where(p => p.Metadata.IsPrimaryKey() || p.Metadata.IsConcurrencyToken)
                .Select(p => $"{Column(p.Metadata)} = {Parameter(p.Metadata, p.OriginalValue)}"));
        }

        public Task<object?> ScalarAsync(SubmissionsDbContext db, CancellationToken cancellationToken) =>
            ExecuteAsync(db, command => command.ExecuteScalarAsync(cancellationToken), cancellationToken);

        public Task<int> NonQueryAsync(SubmissionsDbContext db, CancellationToken cancellationToken) =>
            ExecuteAsync(db, command => command.ExecuteNonQueryAsync(cancellationToken), cancellationToken);

        /// <summary>
        /// Runs the statement on the context's connection, open only meanwhile, as EF Core's own commands are: a caller
        /// that goes on to another context (the lookup after a taken id) must not hold a second pooled connection.
        /// </summary>
        private async Task<T> ExecuteAsync<T>(SubmissionsDbContext db, Func<DbCommand, Task<T>> execute, CancellationToken cancellationToken)
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
            try
            {
                await using var command = db.Database.GetDbConnection().CreateCommand();
                command.CommandText = Sql.ToString();
                for (var i = 0; i < _values.Count; i++)
                {
                    var parameter = command.CreateParameter();
                    parameter.ParameterName = $"p{i}";
                    parameter.Value = _values[i] ?? DBNull.Value;
                    command.Parameters.Add(parameter);
                }
                return await execute(command);
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        }

        private string Parameter(IProperty property, object? value)
        {
            _values.Add(property.GetTypeMapping().Converter is { } converter ? converter.ConvertToProvider(value) : value);
            return $"@p{_values.Count - 1}";
        }

        private static bool IsUnset(PropertyEntry property) =>
            Equals(property.CurrentValue, property.Metadata.ClrType.IsValueType ? Activator.CreateInstance(property.Metadata.ClrType) : null);

        private static string Table(IEntityType entity) => $"\"{entity.GetTableName()}\"";

        private static string Column(IReadOnlyProperty property) => $"\"{property.GetColumnName()}\"";
    }
}
