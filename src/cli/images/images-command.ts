import type { Command } from 'commander';
import { UserError } from '../user-error.js';
import { cachedDebianImagePaths, ensureDebianImage } from './debian-image.js';
import { cachedXenImagePaths, ensureXenImage } from './xen-image.js';

const progress = (line: string): void => {
  process.stderr.write(`partita: ${line}\n`);
};

/** The images by name: how to fetch one and the paths of its files once cached. */
const IMAGES = {
  debian: {
    about: 'Debian 12 armmp kernel and a busybox initramfs',
    fetch: (force: boolean) => ensureDebianImage({ force, log: progress }),
    paths: async () => Object.values(await cachedDebianImagePaths()),
  },
  xen: {
    about: "Debian 12's Xen 4.17 hypervisor for 32-bit ARM (dom0: the debian image)",
    fetch: (force: boolean) => ensureXenImage({ force, log: progress }),
    paths: async () => Object.values(await cachedXenImagePaths()),
  },
} as const;

type ImageName = keyof typeof IMAGES;
const IMAGE_NAMES = Object.keys(IMAGES) as ImageName[];

function image(name: string): (typeof IMAGES)[ImageName] {
  if (!(IMAGE_NAMES as readonly string[]).includes(name)) {
    throw new UserError(`unknown image ${JSON.stringify(name)}; images: ${IMAGE_NAMES.join(', ')}`);
  }
  return IMAGES[name as ImageName];
}

/**
 * Adds `images fetch <name> [--force]` and `images path <name>` to the partita command. The
 * actions are async and throw UserError for anything the user can fix: parse the program with
 * parseAsync and report UserErrors as main does.
 */
export function registerImagesCommand(program: Command): void {
  const images = program.command('images').description('guest images built from Debian armhf packages, cached on this host');

  images
    .command('fetch')
    .description(`download and build an image (${IMAGE_NAMES.map((n) => `${n}: ${IMAGES[n].about}`).join('; ')}), unless it is cached`)
    .argument('<name>', `image name (${IMAGE_NAMES.join(', ')})`)
    .option('--force', 'rebuild even when the cache is complete')
    .action(async (name: string, options: { force?: boolean }) => {
      await image(name).fetch(options.force === true);
    });

  images
    .command('path')
    .description("print the cached image's file paths, one a line (debian: kernel, initrd; xen: the hypervisor)")
    .argument('<name>', `image name (${IMAGE_NAMES.join(', ')})`)
    .action(async (name: string) => {
      const paths = await image(name).paths();
      process.stdout.write(paths.map((path) => `${path}\n`).join(''));
    });
}
