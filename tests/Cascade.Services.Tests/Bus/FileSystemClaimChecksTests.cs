using Cascade.ServiceDefaults.Bus;
using MassTransit;
using MassTransit.MessageData;

namespace Cascade.Services.Tests.Bus;

public sealed class FileSystemClaimChecksTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("cascade-claim-checks-");

    [Fact]
    public async Task Deletes_the_file_that_MassTransit_stored_at_an_address()
    {
        var repository = new FileSystemMessageDataRepository(_folder);
        var kept = await repository.PutBytes([1, 2, 3]);
        var deleted = await repository.PutBytes([4, 5, 6]);

        new FileSystemClaimChecks(_folder).Owns(deleted.Address).Should().BeTrue();
        new FileSystemClaimChecks(_folder).Delete(deleted.Address);

        Files().Should().ContainSingle();
        (await ReadAsync(repository, kept.Address)).Should().Equal(1, 2, 3);
        await FluentActions.Awaiting(() => ReadAsync(repository, deleted.Address)).Should().ThrowAsync<Exception>();
        new FileSystemClaimChecks(_folder).Delete(deleted.Address); // gone already: nothing happens
    }

    [Theory]
    [InlineData("urn:file:..:..:etc:passwd")]
    [InlineData("urn:msgdata:abc")]
    [InlineData("http://example.com/file")]
    public void Refuses_addresses_that_are_not_its_own(string address)
    {
        var claimChecks = new FileSystemClaimChecks(_folder);

        claimChecks.Owns(new Uri(address)).Should().BeFalse();
        claimChecks.Invoking(c => c.Delete(new Uri(address))).Should().Throw<ArgumentException>().WithMessage($"*{address}*");
    }

    private string[] Files() => Directory.GetFiles(_folder.FullName, "*", SearchOption.AllDirectories);

    private static async Task<byte[]> ReadAsync(IMessageDataRepository repository, Uri address)
    {
        await using var stream = await repository.Get(address);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    public void Dispose() => _folder.Delete(recursive: true);
}
