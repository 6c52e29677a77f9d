using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Cascade.Orchestrator.Store;

/// <summary>
/// The store's writes as plain commands, without the change tracker's SaveChanges pipeline (on SQLite in process that
/// pipeline cost more CPU than the database). A write and the outbox entry it owes commit together: on PostgreSQL as one
/// statement (a data-modifying <c>WITH</c>: one round trip instead of BEGIN, the statements and COMMIT); on SQLite, which
/// has no data-modifying <c>WITH</c>, as two statements in one transaction, the insert guarded by <c>changes()</c>.
/// Tables, columns, value conversions and parameter types come from the EF Core model, so the SQL follows the mapping.
/// </summary>
internal static class StoreWrites
{
    /// <summary>Inserts <paramref name="submission"/> and <paramref name="owed"/>, and sets the entry's id.</summary>
    /// <exception cref="DbException">The id is taken (a unique violation), or the database failed.</exception>
    public static async Task AddAsync(SubmissionsDbContext db, SubmissionRecord submission, OutboxEntry owed, CancellationToken cancellationToken)
    {
        var statement = new Statement(db);
        statement.AppendGuarded(s => s.AppendInsert(db.Entry(submission), guard: null), db.Entry(owed));
        owed.Id = (long)(await statement.ScalarAsync(cancellationToken))!;
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
        var statement = new Statement(db);
        if (owed is null)
        {
            statement.AppendCompareAndSet(row);
            return await statement.NonQueryAsync(cancellationToken) == 1;
        }
        statement.AppendGuarded(s => s.AppendCompareAndSet(row), db.Entry(owed));
        if (await statement.ScalarAsync(cancellationToken) is not long id) return false;
        owed.Id = id;
        return true;
    }

    /// <summary>Inserts <paramref name="owed"/> alone (a reply owed by a row that does not change), and sets its id.</summary>
    public static async Task OweAsync(SubmissionsDbContext db, OutboxEntry owed, CancellationToken cancellationToken)
    {
        var statement = new Statement(db);
        statement.AppendInsert(db.Entry(owed), guard: null);
        owed.Id = (long)(await statement.ScalarAsync(cancellationToken))!;
    }

    /// <summary>SQL text with its parameters, typed as the model maps them.</summary>
    private sealed class Statement(SubmissionsDbContext db)
    {
        private readonly List<(RelationalTypeMapping Mapping, object? Value)> _values = [];
        private readonly bool _postgres = db.Database.IsNpgsql();
        private readonly StringBuilder _sql = new();

        /// <summary>
        /// <paramref name="first"/>, then the insert of <paramref name="owed"/> only if the first wrote a row; the
        /// statement's result is then the entry's id (none when the first wrote nothing).
        /// </summary>
        public void AppendGuarded(Action<Statement> first, EntityEntry owed)
        {
            if (_postgres)
            {
                _sql.Append("WITH written AS (");
                first(this);
                _sql.Append(" RETURNING 1) ");
                AppendInsert(owed, guard: " FROM written");
            }
            else
            {
                first(this);
                _sql.Append("; ");
                AppendInsert(owed, guard: " WHERE changes() = 1");
            }
        }

        /// <summary>
        /// <c>INSERT INTO table (columns) VALUES (...)</c>, or with a <paramref name="guard"/> <c>SELECT ...</c> and the
        /// guard, inserting only when it holds; store-generated keys are left out and returned.
        /// </summary>
        public void AppendInsert(EntityEntry entry, string? guard)
        {
            // As in SaveChanges: a key still at its unset value is the database's to generate.
            var generated = entry.Properties.Where(p => p.Metadata.IsPrimaryKey() && p.Metadata.ValueGenerated != ValueGenerated.Never && IsUnset(p)).ToList();
            var properties = entry.Properties.Where(p => !generated.Any(g => g.Metadata == p.Metadata)).ToList();
            _sql.Append("INSERT INTO ").Append(Table(entry.Metadata)).Append(" (")
                .AppendJoin(", ", properties.Select(p => Column(p.Metadata))).Append(guard is null ? ") VALUES (" : ") SELECT ");
            _sql.AppendJoin(", ", properties.Select(p => Parameter(p.Metadata, p.CurrentValue)));
            _sql.Append(guard ?? ")");
            if (generated.Count > 0) _sql.Append(" RETURNING ").AppendJoin(", ", generated.Select(p => Column(p.Metadata)));
        }

        /// <summary><c>UPDATE</c> of the modified columns where the key and the concurrency token are still the ones read.</summary>
        public void AppendCompareAndSet(EntityEntry row)
        {
            _sql.Append("UPDATE ").Append(Table(row.Metadata)).Append(" SET ")
                .AppendJoin(", ", row.Properties.Where(p => p.IsModified).Select(p => $"{Column(p.Metadata)} = {Parameter(p.Metadata, p.CurrentValue)}"));
            _sql.Append(" WHERE ").AppendJoin(" AND ", row.Properties.Where(p => p.Metadata.IsPrimaryKey() || p.Metadata.IsConcurrencyToken)
                .Select(p => $"{Column(p.Metadata)} = {Parameter(p.Metadata, p.OriginalValue)}"));
        }

        public Task<object?> ScalarAsync(CancellationToken cancellationToken) =>
            ExecuteAsync(command => command.ExecuteScalarAsync(cancellationToken), cancellationToken);

        public Task<int> NonQueryAsync(CancellationToken cancellationToken) =>
            ExecuteAsync(command => command.ExecuteNonQueryAsync(cancellationToken), cancellationToken);

        /// <summary>
        /// Runs the statement on the context's connection (on PostgreSQL open only meanwhile, as EF Core's own commands
        /// are: a caller that goes on to another context, the lookup after a taken id, must not hold a second pooled
        /// connection), in a transaction where it is more than one statement.
        /// </summary>
        private async Task<T> ExecuteAsync<T>(Func<DbCommand, Task<T>> execute, CancellationToken cancellationToken)
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
            try
            {
                var connection = db.Database.GetDbConnection();
                await using var transaction = _postgres ? null : await connection.BeginTransactionAsync(cancellationToken);
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = _sql.ToString();
                for (var i = 0; i < _values.Count; i++)
                    command.Parameters.Add(_values[i].Mapping.CreateParameter(command, $"p{i}", _values[i].Value));
                var result = await execute(command);
                if (transaction is not null) await transaction.CommitAsync(cancellationToken);
                return result;
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        }

        /// <summary>A parameter for <paramref name="value"/>: the mapping converts it and sets the provider's type (a Guid is text on SQLite).</summary>
        private string Parameter(IProperty property, object? value)
        {
            _values.Add((property.GetRelationalTypeMapping(), value));
            return $"@p{_values.Count - 1}";
        }

        private static bool IsUnset(PropertyEntry property) =>
            Equals(property.CurrentValue, property.Metadata.ClrType.IsValueType ? Activator.CreateInstance(property.Metadata.ClrType) : null);

        private static string Table(IEntityType entity) => $"\"{entity.GetTableName()}\"";

        private static string Column(IReadOnlyProperty property) => $"\"{property.GetColumnName()}\"";
    }
}
