import type { Command } from 'commander';
import { UserError } from '../user-error.js';
import { cachedDebianImagePaths, ensureDebianImage } from './debian-image.js';

const IMAGE_NAMES = ['debian'] as const;

function checkImageName(name: string): void {
  if (!(IMAGE_NAMES as readonly string[]).includes(name)) {
    throw new UserError(`unknown image ${JSON.stringify(name)}; images: ${IMAGE_NAMES.join(', ')}`);
  }
}

const progress = (line: string): void => {
  process.stderr.write(`partita: ${line}\n`);
};

/**
 * Adds `images fetch <name> [--force]` and `images path <name>` to the partita command. The
 * actions are async and throw UserError for anything the user can fix: parse the program with
 * parseAsync and report UserErrors as main does.
 */
export function registerImagesCommand(program: Command): void {
  const images = program.command('images').description('guest images built from Debian armhf packages, cached on this host');

  images
    .command('fetch')
    .description('download and build an image (debian: Debian 12 armmp kernel and a busybox initramfs), unless it is cached')
    .argument('<name>', `image name (${IMAGE_NAMES.join(', ')})`)
    .option('--force', 'rebuild even when the cache is complete')
    .action(async (name: string, options: { force?: boolean }) => {
      checkImageName(name);
      await ensureDebianImage({ force: options.force === true, log: progress });
    });

  images
    .command('path')
    .description('print the cached kernel and initrd paths, one a line')
    .argument('<name>', `image name (${IMAGE_NAMES.join(', ')})`)
    .action(async (name: string) => {
      checkImageName(name);
      const paths = await cachedDebianImagePaths();
      process.stdout.write(`${paths.kernel}\n${paths.initrd}\n`);
    });
}
