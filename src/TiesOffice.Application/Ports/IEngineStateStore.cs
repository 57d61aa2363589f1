namespace TiesOffice.Application.Ports;

/// <summary>The tie engine's stored aggregate of one user, with the version it was read at.</summary>
/// <param name="Data">The opaque bytes.</param>
/// <param name="Version">An opaque version token; pass it to <see cref="IEngineStateStore.TryWriteAsync"/>.</param>
public sealed record EngineState(ReadOnlyMemory<byte> Data, string Version);

/// <summary>
/// One opaque per-user blob (the tie engine's compact aggregate, possibly several MB), with optimistic concurrency.
/// A write is all-or-nothing: a reader sees either the old blob or the new one, never a mix, even if the writer
/// crashes half-way.
/// </summary>
public interface IEngineStateStore
{
    /// <summary>Reads the user's blob and its version, or null when none was written.</summary>
    Task<EngineState?> ReadAsync(UserKey user, CancellationToken cancellationToken = default);

    /// <summary>Reads only the version of the user's blob (one small read), or null when none was written.</summary>
    Task<string?> GetVersionAsync(UserKey user, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes the user's blob if the stored version still equals <paramref name="expectedVersion"/> (null: only if
    /// there is no blob yet).
    /// </summary>
    /// <returns>The new version, or null when another writer got there first (re-read and re-apply).</returns>
    Task<string?> TryWriteAsync(UserKey user, ReadOnlyMemory<byte> data, string? expectedVersion, CancellationToken cancellationToken = default);

    /// <summary>Removes the user's blob; does nothing when there is none.</summary>
    Task DeleteAsync(UserKey user, CancellationToken cancellationToken = default);
}
