using Cascade.ServiceDefaults.Bus;
using MassTransit;
using MassTransit.MessageData;

namespace Cascade.Services.Tests.Bus;

public sealed class FileSystemClaimCheckRepositoryTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("cascade-claim-checks-");

    [Fact]
    public async Task Stores_reads_and_deletes_claim_checks()
    {
        var repository = new FileSystemClaimCheckRepository(_folder);
        var kept = await repository.PutBytes([1, 2, 3]);
        var deleted = await repository.PutBytes([4, 5, 6]);

        repository.Owns(deleted.Address).Should().BeTrue();
        repository.Delete(deleted.Address);

        Files().Should().ContainSingle();
        (await ReadAsync(repository, kept.Address)).Should().Equal(1, 2, 3);
        await FluentActions.Awaiting(() => repository.Get(deleted.Address)).Should().ThrowAsync<MessageDataNotFoundException>();
        repository.Delete(deleted.Address); // gone already: nothing happens
    }

    [Fact]
    public async Task Reads_and_writes_the_same_files_as_MassTransits_repository()
    {
        var ours = new FileSystemClaimCheckRepository(_folder);
        var theirs = new FileSystemMessageDataRepository(_folder);

        (await ReadAsync(ours, (await theirs.PutBytes([7, 8])).Address)).Should().Equal(7, 8);
        (await ReadAsync(theirs, (await ours.PutBytes([9])).Address)).Should().Equal(9);
    }

    [Theory]
    [InlineData("urn:file:..:..:etc:passwd")]
    [InlineData("urn:msgdata:abc")]
    [InlineData("http://example.com/file")]
    public async Task Refuses_addresses_that_are_not_its_own(string address)
    {
        var repository = new FileSystemClaimCheckRepository(_folder);

        repository.Owns(new Uri(address)).Should().BeFalse();
        repository.Invoking(r => r.Delete(new Uri(address))).Should().Throw<ArgumentException>().WithMessage($"*{address}*");
        await repository.Awaiting(r => r.Get(new Uri(address))).Should().ThrowAsync<ArgumentException>();
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
